"""The handbook (README.md and docs/) holds: every page is reachable from the README, every link and command
in it exists, and docs/settings.md names every setting a host may set."""

import re
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import global_settings, settings
from django.core.management import find_commands, get_commands

import tasks

ROOT = Path(settings.BASE_DIR)
PACKAGE = ROOT / "{{ cookiecutter.project_slug }}"
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Settings the project reads that belong to a library: the library's own pages describe them, not this handbook.
LIBRARY_PREFIXES = ("AXES_", "OTP_", "SENDFILE_", "DJANGO_TABLES2_", "DEBUG_TOOLBAR_CONFIG", "HIJACK_", "CRISPY_")
# A command as the docs write one: python manage.py migrate, python3 /srv/.../tasks.py deploy.
COMMAND = r"(?:python3?|py) (?:\S*/)?{}\.py (\w+)"


def text(path):
    return path.read_text(encoding="utf-8")


def links(path):
    return re.findall(r"\]\(([^)#]+\.md)\)", text(path))


def test_every_page_is_linked_from_the_readme():
    linked = {(ROOT / link).resolve() for link in links(ROOT / "README.md")}
    assert [page.name for page in PAGES[1:] if page.resolve() not in linked] == []


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_link_leads_to_a_page(page):
    assert [link for link in links(page) if not (page.parent / link).is_file()] == []


def development_commands():
    """The commands of the apps only the dev settings install (runserver_plus): the tests run without them."""
    dev_settings = text(PACKAGE / "settings" / "dev.py")
    apps = re.findall(r'"(\w+)"', dev_settings.split("INSTALLED_APPS", 1)[1].split("]", 1)[0])
    return {name for app in apps for name in find_commands(Path(import_module(app).__path__[0]) / "management")}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_command_exists(page):
    management = {*get_commands(), *development_commands()}
    written = text(page)
    unknown = [f"manage.py {name}" for name in re.findall(COMMAND.format("manage"), written) if name not in management]
    unknown += [
        f"tasks.py {name}" for name in re.findall(COMMAND.format("tasks"), written) if name not in tasks.COMMANDS
    ]
    assert unknown == []


def documented_settings():
    reference = text(ROOT / "docs" / "settings.md")
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", reference, re.MULTILINE)), set(
        re.findall(r"`([A-Z][A-Z0-9_]+)`", reference.split("## Not for local.py", 1)[1])
    )


def settings_read_by_the_project():
    """The names the project's own code reads from settings, as settings.NAME, getattr() or settings["NAME"]."""
    code = [*PACKAGE.rglob("*.py"), *ROOT.glob("*.py"), *(ROOT / "deploy").glob("*.py")]
    pattern = r'settings\.([A-Z][A-Z0-9_]+)|getattr\(settings, "([A-Z][A-Z0-9_]+)"|settings\["([A-Z][A-Z0-9_]+)"\]'
    return {
        next(name for name in names if name)
        for path in code
        if "tests" not in path.parts
        for names in re.findall(pattern, text(path))
    }


def test_every_setting_of_the_projects_own_is_in_the_reference():
    documented, not_for_local = documented_settings()
    own = {
        name
        for name in settings_read_by_the_project()
        if not hasattr(global_settings, name) and not name.startswith(LIBRARY_PREFIXES) and name != "SETTINGS_MODULE"
    }
    assert sorted(own - documented - not_for_local) == []


def test_every_setting_of_local_py_template_is_in_the_reference():
    template = text(PACKAGE / "settings" / "local.py.template")
    assigned = set(re.findall(r"^(?:# )?([A-Z][A-Z0-9_]+) = ", template, re.MULTILINE))
    assert assigned and sorted(assigned - documented_settings()[0]) == []


def test_the_reference_names_only_real_settings():
    """Each is Django's, or set in the settings or local.py.template, or read by the code: no stale names."""
    modules = [*(PACKAGE / "settings").glob("*.py"), PACKAGE / "settings" / "local.py.template"]
    assigned = {name for path in modules for name in re.findall(r"^(?:# )?([A-Z][A-Z0-9_]+) = ", text(path), re.M)}
    known = assigned | settings_read_by_the_project() | set(dir(global_settings))
    documented, not_for_local = documented_settings()
    assert sorted((documented | not_for_local) - known) == []
