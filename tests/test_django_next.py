"""Forward compatibility: the default bake on the newest Django (6.1) as well as the pinned 5.2 LTS.

Django 6.1 needs Python 3.12+, so its virtualenv is made with python3.12 (on PATH or from pyenv),
with the baked requirements and only the Django line changed.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from filelock import FileLock
from helpers import REPO, REVIEWED_STATEMENT, Project, selected_options

from tools.envs import ensure_venv
from tools.workflows import run_job_steps, workflow_commands, workflow_job

pytestmark = pytest.mark.integration

NEXT_DJANGO = "Django>=6.1,<6.2"
PYENV_BIN_DIRS = sorted(Path.home().glob(".pyenv/versions/3.1[2-9]*/bin"), reverse=True)


@pytest.fixture(scope="module")
def next_django_project(need, bake, tmp_path_factory):
    python312 = need("python3.12", *PYENV_BIN_DIRS)
    # Background tasks too: django.tasks on Django 6, the backport on 5.2.
    path = bake(use_tasks=True)
    requirements = tmp_path_factory.mktemp("requirements-next")
    for source in (path / "requirements").glob("*.in"):
        shutil.copy(source, requirements)
    base = requirements / "base.in"
    lines = base.read_text().splitlines()
    assert sum(line.startswith("Django>=") for line in lines) == 1
    base.write_text("\n".join(NEXT_DJANGO if line.startswith("Django>=") else line for line in lines) + "\n")
    venv = REPO / ".cache" / "baked-venv-django61"
    venv.parent.mkdir(exist_ok=True)
    with FileLock(f"{venv}.lock"):
        if not venv.exists():
            subprocess.run([python312, "-m", "venv", str(venv)], check=True)
        # The ranges, not the locks: Django 6.1 is outside them.
        python = ensure_venv(venv, [requirements / "dev.in"])
    return Project(path, python, selected_options({"use_tasks": True}))


def test_the_virtualenv_runs_django_6_1(next_django_project):
    result = next_django_project.run("-c", "import django; print(django.__version__)")
    assert result.stdout.startswith("6.1.")


@pytest.mark.parametrize("settings", ["dev", "test", "prod"])
def test_check_passes_on_django_6_1(next_django_project, settings):
    if settings == "prod":
        next_django_project.fill_local()
    # Warnings about what the next Django removes are errors here: they are the next upgrade's breakage.
    result = next_django_project.run(
        "-W", "error::DeprecationWarning", "manage.py", "check", "--fail-level", "WARNING", settings=settings
    )
    assert "no issues" in result.stdout


def test_deploy_check_and_migrations_on_django_6_1(next_django_project):
    next_django_project.fill_local(extra=REVIEWED_STATEMENT)
    result = next_django_project.manage("check", "--deploy", "--fail-level", "WARNING", settings="prod")
    assert "no issues" in result.stdout
    next_django_project.manage("makemigrations", "--check", "--dry-run", settings="dev")
    result = next_django_project.manage("migrate", "--no-input", settings="dev")
    assert "Applying users.0001_initial... OK" in result.stdout


def test_the_ci_next_django_job_passes_on_django_6_1(next_django_project):
    """The generated CI's next-Django job: its checks and tests, deprecation warnings as errors."""
    job = workflow_job(next_django_project.path, "next-django")
    assert job["steps"][1]["with"]["python-version"] == "3.12"
    installs = [line for line in workflow_commands(next_django_project.path, "next-django") if line.startswith("pip ")]
    # The newest Django on the index is the 6.1 this virtualenv has.
    assert installs == ["pip install --require-hashes -r requirements/dev.txt", "pip install --upgrade Django"]
    check, tests = run_job_steps(next_django_project.path, "next-django", next_django_project.python)
    assert "no issues" in check
    assert "passed" in tests and "failed" not in tests, tests
    assert "warning" not in tests.lower(), tests


def test_background_tasks_run_on_django_6_1(next_django_project):
    slug = next_django_project.slug
    tests = [f"{slug}/background/tests/test_tasks.py", f"{slug}/documents/tests/test_tasks.py"]
    result = next_django_project.run("-m", "pytest", "-q", "-p", "no:cacheprovider", *tests, timeout=300)
    assert re.search(r"\b6 passed\b", result.stdout), result.stdout
