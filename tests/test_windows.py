"""Windows, where many users develop: the workflows that run there are valid, and the developer's tools call
nothing POSIX-only unless they ask which system they are on first. The workflows cannot run here: zizmor
reads them as GitHub would (an invalid workflow fails it) and audits them."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

from tools.workflows import workflow_job

ZIZMOR = Path(sys.executable).parent / "zizmor"
# What Windows has no such call for: its users' runs of these tools would stop with an AttributeError.
POSIX_ONLY = {"getuid", "geteuid", "getgid", "fork", "killpg", "setsid", "getpgid", "chown", "SIGKILL", "SIGHUP"}
POSIX_MODULES = {"pwd", "grp", "fcntl", "termios", "resource"}
DEVELOPER_TOOLS = ["tasks.py", "devdb.py"]


def windows_command(line):
    """A test job's command as the Windows job runs it: through the py launcher's Python 3.11."""
    program, _, rest = line.partition(" ")
    return f"py -3.11 {rest}" if program == "python" else f"py -3.11 -m {line}"


def test_the_windows_job_runs_the_test_jobs_steps(default_project):
    test, windows = (workflow_job(default_project.path, name) for name in ("test", "windows"))
    assert windows["runs-on"].startswith("windows")
    assert [step.get("uses") for step in windows["steps"]] == [step.get("uses") for step in test["steps"]]
    commands = [step["run"] for step in test["steps"] if "run" in step]
    assert [step["run"] for step in windows["steps"] if "run" in step] == list(map(windows_command, commands))


@pytest.mark.parametrize("workflow", ["generated", "template"])
def test_the_workflows_are_valid_and_pass_the_audit(bake_project, workflow):
    if workflow == "generated":
        path = bake_project(include_documents_app=True, use_unpoly=True).path / ".github" / "workflows" / "ci.yml"
    else:
        path = REPO / ".github" / "workflows" / "bake.yml"
    result = subprocess.run([ZIZMOR, "--offline", path], capture_output=True, text=True)
    assert result.returncode == 0 and "No findings to report" in result.stdout, result.stdout + result.stderr


def guarded(node, parents):
    """True when an enclosing condition asks which system this is (os.name, sys.platform)."""
    while node in parents:
        node = parents[node]
        condition = node.test if isinstance(node, ast.If | ast.IfExp) else node
        if isinstance(node, ast.If | ast.IfExp | ast.BoolOp) and "os.name" in ast.unparse(condition):
            return True
    return False


@pytest.mark.parametrize("tool", [*DEVELOPER_TOOLS, "tools/quickstart.py"])
def test_the_developers_tools_call_nothing_posix_only_unguarded(default_project, tool):
    path = REPO / tool if tool.startswith("tools/") else default_project.path / tool
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in POSIX_ONLY and not guarded(node, parents):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module] if isinstance(node, ast.ImportFrom) else [alias.name for alias in node.names]
            found += [f"line {node.lineno}: import {name}" for name in names if name in POSIX_MODULES]
    assert found == []
