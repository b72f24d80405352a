"""The generated project's developer loop and tooling: tasks.py, the debug toolbar switch, CI, pre-commit."""

import os
import re
import signal
import subprocess
import sys
import urllib.request

import pytest
import yaml
from helpers import text_files

from tools.processes import free_port, http_answers, wait_until
from tools.workflows import run_job_steps, workflow_commands

TOOLBAR_PROBE = """
import django
django.setup()
from django.test import Client
response = Client(HTTP_HOST="localhost").get("/accounts/login/")
print(response.status_code, 'id="djDebug"' in response.text)
"""


@pytest.mark.parametrize(
    ("environment", "local_line", "shown"),
    [("", "", False), ("1", "", True), ("", "DEBUG_TOOLBAR = True", True), ("1", "DEBUG_TOOLBAR = False", False)],
)
def test_debug_toolbar_is_hidden_until_switched_on(default_project, environment, local_line, shown):
    local = default_project.path / default_project.slug / "settings" / "local.py"
    local.write_text(f"{local.read_text()}{local_line}\n")
    result = default_project.run("-c", TOOLBAR_PROBE, settings="dev", env={"DEBUG_TOOLBAR": environment})
    assert result.stdout.split() == ["200", str(shown)]


def test_production_urls_do_not_need_the_toolbar(default_project):
    """prod.txt does not install django-debug-toolbar: urls.py must not import it."""
    default_project.fill_local()
    hide_toolbar = "import sys; sys.modules['debug_toolbar'] = None"
    script = f"{hide_toolbar}; import django; django.setup(); import {default_project.slug}.urls"
    default_project.run("-c", script, settings="prod")


def test_tasks_run_manage_py_and_the_tests(default_project):
    assert "no issues" in default_project.run("tasks.py", "manage", "check").stdout
    result = default_project.run("tasks.py", "test", "-q", "-p", "no:cacheprovider", "-k", "show_toolbar")
    assert re.search(r"\b[1-9]\d* passed", result.stdout)
    usage = default_project.run("tasks.py", "shipit", check=False)
    assert usage.returncode == 2
    assert "python tasks.py serve" in usage.stderr


def test_tasks_serve_runs_runserver_plus_with_the_werkzeug_debugger(default_project, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(default_project.python), "tasks.py", "serve", f"127.0.0.1:{port}"],
            cwd=default_project.path,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the reloader starts a child: stop the whole group
        )
        try:
            wait_until(http_answers(f"http://127.0.0.1:{port}/"), server, log, timeout=60)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                assert response.headers["Server"].startswith("Werkzeug/")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    assert "Debugger PIN" in log.read_text()


def test_ci_test_job_passes_on_a_fresh_clone(default_project):
    # A clone has no local.py (git ignores it); the shared virtualenv stands for the job's pip install.
    (default_project.path / default_project.slug / "settings" / "local.py").unlink()
    commands = list(workflow_commands(default_project.path, "test"))
    assert [command for command in commands if command.startswith("pip install")] == [
        "pip install -r requirements/dev.txt"
    ]
    assert [command.split()[:2] for command in commands if not command.startswith("pip install")] == [
        ["ruff", "check"],
        ["ruff", "format"],
        ["python", "manage.py"],
        ["python", "manage.py"],
        ["pytest"],
    ]
    outputs = run_job_steps(default_project.path, "test", default_project.python)
    assert re.search(r"\d+ passed", outputs[-1]), outputs[-1]


def test_dependabot_keeps_django_on_its_lts_series(default_project):
    config = yaml.safe_load((default_project.path / ".github" / "dependabot.yml").read_text())
    (pip,) = [update for update in config["updates"] if update["package-ecosystem"] == "pip"]
    requirements = default_project.path / pip["directory"].strip("/")
    assert (requirements / "base.in").exists()
    (django,) = [rule for rule in pip["ignore"] if rule["dependency-name"] == "django"]
    assert set(django["update-types"]) == {"version-update:semver-major", "version-update:semver-minor"}
    assert re.fullmatch(r"Django>=5\.2\.\d+,<5\.3", requirement_range(requirements / "base.in", "Django"))


def requirement_range(path, name):
    (line,) = [line for line in path.read_text().splitlines() if re.match(rf"{re.escape(name)}\s*[<>=~]", line, re.I)]
    return line


def test_pre_commit_hooks_follow_the_pinned_versions(default_project):
    config = yaml.safe_load((default_project.path / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: (repo["rev"], hook.get("args", [])) for repo in config["repos"] for hook in repo["hooks"]}
    assert set(hooks) == {"ruff", "ruff-format", "django-upgrade"}
    requirements = default_project.path / "requirements"
    ruff_minor = re.search(r">=(\d+\.\d+)", requirement_range(requirements / "dev.in", "ruff"))[1]
    assert hooks["ruff"][0].startswith(f"v{ruff_minor}.")
    django_minor = re.search(r">=(\d+\.\d+)", requirement_range(requirements / "base.in", "Django"))[1]
    assert hooks["django-upgrade"][1] == ["--target-version", django_minor]


def test_django_upgrade_has_nothing_left_to_rewrite(default_project):
    files = [str(path) for path in default_project.path.rglob("*.py") if ".venv" not in path.parts]
    result = subprocess.run(
        [sys.executable, "-m", "django_upgrade", "--target-version", "5.2", *files], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_files_follow_the_editorconfig(default_project):
    assert (default_project.path / ".editorconfig").exists()
    offenders = []
    for path, text in text_files(default_project.path):
        if text and not text.endswith("\n"):
            offenders.append(f"{path.name}: no final newline")
        if "\t" in text or (path.suffix != ".md" and re.search(r"[ \t]+$", text, re.M)):
            offenders.append(f"{path.name}: tab or trailing whitespace")
    assert offenders == []


def test_check_hints_point_at_sections_that_exist(default_project):
    checks = (default_project.path / default_project.slug / "core" / "checks.py").read_text()
    hints = re.findall(r'see\("([^"]+)"(?:, "([^"]+)")?\)', checks)
    hints += [(section, "") for section in re.findall(r'_SECTION = "([^"]+)"', checks)]
    assert len(hints) >= 5 and ("The debug toolbar", "README.md") in hints
    for section, document in hints:
        text = (default_project.path / (document or "docs/guidelines.md")).read_text(encoding="utf-8")
        assert section in re.findall(r"^#+ (.+)$", text, re.M), (section, document)


def test_the_ci_workflow_runs_with_least_privilege_and_pinned_actions(default_project):
    workflow = yaml.safe_load((default_project.path / ".github" / "workflows" / "ci.yml").read_text())
    assert workflow["permissions"] == {"contents": "read"}
    lines = (default_project.path / ".github" / "workflows" / "ci.yml").read_text().splitlines()
    uses = [line.split("uses:", 1)[1].strip() for line in lines if "uses:" in line]
    assert uses
    for action in uses:
        # A commit hash cannot be moved to other code, as a tag can; the comment keeps the version readable.
        assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40} # v\d+(\.\d+)*", action), action
    for name, job in workflow["jobs"].items():
        checkouts = [step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@")]
        assert checkouts and all(step["with"]["persist-credentials"] is False for step in checkouts), name
    dependabot = yaml.safe_load((default_project.path / ".github" / "dependabot.yml").read_text())
    assert "github-actions" in [update["package-ecosystem"] for update in dependabot["updates"]]
