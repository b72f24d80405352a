"""Apps added after the bake keep the guidelines: the checks judge every app of the project."""

import pytest
from conftest import Project, bake

LEGACY_MODELS = """
from django.db import models


class Permit(models.Model):
    kind = models.CharField(max_length=10, choices=[("a", "A"), ("b", "B")])
    holders = models.ManyToManyField("users.User")
    scan = models.FileField(upload_to="scans/")
"""
WITH_PERMITS = 'from .dev import *  # noqa: F403\n\nINSTALLED_APPS = [*INSTALLED_APPS, "permits"]  # noqa: F405\n'


@pytest.fixture
def project(cookies, baked_python):
    return Project(bake(cookies, include_documents_app=False), baked_python, {})


def test_a_top_level_app_from_plain_startapp_is_checked(project):
    project.manage("startapp", "permits", settings="dev")
    (project.path / "permits" / "models.py").write_text(LEGACY_MODELS)
    (project.path / project.slug / "settings" / "with_permits.py").write_text(WITH_PERMITS)
    result = project.manage("check", settings="with_permits", check=False)
    for check_id, field in [("core.W001", "kind"), ("core.W002", "holders"), ("core.W003", "scan")]:
        assert f"permits.Permit.{field}: ({check_id})" in result.stderr, result.stderr
    assert result.returncode == 0  # warnings: the project still runs, and --fail-level WARNING fails CI


def test_apps_installed_in_a_virtualenv_inside_the_project_are_not_judged(project):
    """Developers keep .venv in the project folder: what is installed there is not the project's code."""
    site_packages = project.path / ".venv" / "lib" / "python3.12" / "site-packages"
    (site_packages / "thirdparty").mkdir(parents=True)
    (project.path / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (site_packages / "thirdparty" / "__init__.py").touch()
    (site_packages / "thirdparty" / "models.py").write_text(LEGACY_MODELS.replace("Permit", "License"))
    settings = WITH_PERMITS.replace('"permits"', '"thirdparty"')
    (project.path / project.slug / "settings" / "with_thirdparty.py").write_text(settings)
    result = project.manage(
        "check", "--fail-level", "WARNING", settings="with_thirdparty", env={"PYTHONPATH": str(site_packages)}
    )
    assert "no issues" in result.stdout
