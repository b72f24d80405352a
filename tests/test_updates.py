"""Template updates reach baked projects with cruft: they apply cleanly and never touch per-host files.

The test makes a git repository of this template with two commits: an older version (the
current tree less the app scaffold, with an older page title) and the current tree. It bakes a
project from the older commit, commits it as its owners would, changes it as they would, and
updates it to the current commit.
"""

import json
import re
import shutil
import subprocess
import sys

import cruft
import pytest
from helpers import REPO, Project, selected_options

from tools.envs import ensure_venv, venv_python
from tools.workflows import run_job_steps

SCAFFOLD = [
    "{{cookiecutter.project_slug}}/app_template",
    "{{cookiecutter.project_slug}}/{{cookiecutter.project_slug}}/core/management/commands/startapp.py",
]
BASE_TEMPLATE = "{{cookiecutter.project_slug}}/templates/base.html"


def git(*arguments, cwd):
    return subprocess.run(["git", *arguments], cwd=cwd, check=True, capture_output=True, text=True).stdout


def commit_all(path, message):
    git("add", "-A", cwd=path)
    git("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-qm", message, cwd=path)
    return git("rev-parse", "HEAD", cwd=path).strip()


def copy_working_tree(path):
    """This repository's files as they are now, committed or not (what git ignores excepted)."""
    files = git("ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=REPO).split("\0")
    for name in filter(None, files):
        if (REPO / name).is_file():
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, path / name)


@pytest.fixture(scope="module")
def template_history(tmp_path_factory):
    """A copy of this template as a git repository: (path, older commit, current commit)."""
    path = tmp_path_factory.mktemp("template")
    copy_working_tree(path)
    for name in SCAFFOLD:
        if (path / name).is_dir():
            shutil.rmtree(path / name)
        else:
            (path / name).unlink()
    base = path / BASE_TEMPLATE
    current_base = base.read_text(encoding="utf-8")
    assert current_base.count("<title>") == 1
    base.write_text(current_base.replace("<title>", "<title>Old: "), encoding="utf-8")
    git("init", "-q", "-b", "main", cwd=path)
    older = commit_all(path, "Older template: no app scaffold, another title")
    copy_working_tree(path)
    return path, older, commit_all(path, "Current template")


def test_an_update_applies_cleanly_and_leaves_local_py_alone(template_history, tmp_path, baked_python):
    template, older, current = template_history
    project_dir = cruft.create(str(template), checkout=older, no_input=True, output_dir=tmp_path)
    project = Project(project_dir, baked_python, selected_options({}))
    local = project_dir / project.slug / "settings" / "local.py"
    secret = local.read_text(encoding="utf-8")
    assert not (project_dir / "app_template").exists()
    git("init", "-q", "-b", "main", cwd=project_dir)
    commit_all(project_dir, "Baked")
    # The owners' own work, in files the update does not change.
    readme = project_dir / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nOur notes.\n", encoding="utf-8")
    commit_all(project_dir, "Our notes")

    assert cruft.update(project_dir, checkout=current, skip_apply_ask=True)

    assert list(project_dir.rglob("*.rej")) == []
    assert local.read_text(encoding="utf-8") == secret
    assert (project_dir / "app_template" / "models.py-tpl").exists()
    assert "Old: " not in (project_dir / "templates" / "base.html").read_text(encoding="utf-8")
    assert readme.read_text(encoding="utf-8").endswith("Our notes.\n")
    assert "<<<<<<<" not in git("diff", cwd=project_dir)
    changed = git("status", "--porcelain", cwd=project_dir)
    assert ".cruft.json" in changed and "local.py" not in changed
    result = project.run("-m", "pytest", "-q", "-p", "no:cacheprovider", timeout=900)
    assert re.search(r"\d+ passed", result.stdout) and "failed" not in result.stdout, result.stdout
    # The generated CI's template job (cruft check) now finds the project up to date.
    commit_all(project_dir, "Template update")
    (output,) = run_job_steps(project_dir, "template", sys.executable)
    assert "up to date" in output


def test_the_readme_cruft_commands_work_as_written_with_the_prompt_answered(template_history, tmp_path):
    """The command-line cruft the README installs, not the library: its prompt is where it once crashed."""
    template, older, current = template_history
    project_dir = cruft.create(str(template), checkout=older, no_input=True, output_dir=tmp_path)
    readme = project_dir / "README.md"
    assert "pip install -r requirements/cruft.txt" in readme.read_text(encoding="utf-8")
    venv = REPO / ".cache" / "cruft-venv"
    ensure_venv(venv, [project_dir / "requirements" / "cruft.txt"])
    cruft_command = venv_python(venv).parent / "cruft"
    git("init", "-q", "-b", "main", cwd=project_dir)
    commit_all(project_dir, "Baked")
    readme.write_text(readme.read_text(encoding="utf-8") + "\nOur notes.\n", encoding="utf-8")
    commit_all(project_dir, "Our notes")

    def run(*arguments, answers=None):
        result = subprocess.run(
            [cruft_command, *arguments], cwd=project_dir, input=answers, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Next steps" not in result.stdout + result.stderr
        return result.stdout

    # diff: what the owners changed since the bake (as removals, from the template's side), not the template's news.
    diff = run("diff")
    assert re.search(r"^-Our notes\.$", diff, re.MULTILINE)
    assert "Old: " not in diff
    # update: "v" shows what the template changed since the bake, "y" applies it.
    output = run("update", answers="v\ny\n")
    assert "Old: " in output
    assert "Old: " not in (project_dir / "templates" / "base.html").read_text(encoding="utf-8")
    assert readme.read_text(encoding="utf-8").endswith("Our notes.\n")
    assert json.loads((project_dir / ".cruft.json").read_text(encoding="utf-8"))["commit"] == current
