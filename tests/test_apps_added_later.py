"""Apps added after the bake keep the guidelines: the scaffold makes them right, the checks judge them all."""

import re
import subprocess

import pytest
from helpers import GREEK_INSPECTION, GREEK_NAMES, GREEK_WITHOUT_DOCUMENTS_WITH_UNPOLY

LEGACY_MODELS = """
from django.db import models


class Permit(models.Model):
    kind = models.CharField(max_length=10, choices=[("a", "A"), ("b", "B")])
    holders = models.ManyToManyField("users.User")
    scan = models.FileField(upload_to="scans/")
"""
NAVIGATION = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
client = Client(HTTP_HOST="localhost")
client.force_login(get_user_model().objects.get(username="admin"))
print(client.get("/").content.decode())
"""
# The app's first model is its category lookup table.
EXAMPLE_ROW = "from django.apps import apps; print(*next(apps.get_app_config({!r}).get_models()).objects.all())"
DJANGO_APP_TEMPLATE = "import django, pathlib; print(pathlib.Path(django.__file__).parent / 'conf' / 'app_template')"
WITH_PERMITS = 'from .dev import *  # noqa: F403\n\nINSTALLED_APPS = [*INSTALLED_APPS, "permits"]  # noqa: F405\n'


@pytest.fixture
def project(bake_project):
    return bake_project(include_documents_app=False)


def test_a_top_level_app_from_django_startapp_is_checked(project):
    # Django's own app template, next to manage.py: what `django-admin startapp permits` makes.
    django_template = project.run("-c", DJANGO_APP_TEMPLATE).stdout.strip()
    project.manage("startapp", "--template", django_template, "permits", settings="dev")
    assert (project.path / "permits" / "apps.py").exists()
    (project.path / "permits" / "models.py").write_text(LEGACY_MODELS)
    (project.path / project.slug / "settings" / "with_permits.py").write_text(WITH_PERMITS)
    result = project.manage("check", settings="with_permits", check=False)
    for check_id, field in [("core.W001", "kind"), ("core.W002", "holders"), ("core.W003", "scan")]:
        assert f"permits.Permit.{field}: ({check_id})" in result.stderr, result.stderr
    assert "permits.Permit: (core.W010) Model keeps no audit fields" in result.stderr
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


IDENTIFIERS = ["--identifier", "tax_number", "--identifier", "social_security_number", "--identifier", "postal_code"]


@pytest.mark.parametrize(
    ("options", "arguments"),
    [
        ({}, ["permits"]),
        (
            GREEK_WITHOUT_DOCUMENTS_WITH_UNPOLY,
            ["building_permits", "--model", "BuildingPermit", *GREEK_NAMES, *GREEK_INSPECTION, *IDENTIFIERS],
        ),
    ],
    ids=["permits", "greek-project-unpoly-two-models-greek-identifiers"],
)
def test_the_app_scaffold_is_green_the_moment_it_exists(bake_project, need, options, arguments):
    project = bake_project(**options)
    name = arguments[0]
    created = project.run("tasks.py", "startapp", *arguments).stdout
    app = project.path / project.slug / name
    assert (app / "migrations" / "0001_initial.py").exists()
    assert created.strip().splitlines()[-1] == "Next: python manage.py migrate && python manage.py dev_setup"
    # Added where no template line is its neighbour: a template update never conflicts with it.
    for registry in ("settings/base.py", "urls.py"):
        lines = (project.path / project.slug / registry).read_text().splitlines()
        (added,) = [index for index, line in enumerate(lines) if f".{name}" in line]
        assert lines[added + 1] == "]", registry
    assert f'name = "{project.slug}.{name}"' in (app / "apps.py").read_text()
    models = ["buildingpermit", "inspection"] if "Inspection" in arguments else ["permit"]
    templates = {html.name for html in (app / "templates" / name).iterdir()}
    assert templates == {
        f"{model}_{page}.html" for model in models for page in ["list", "detail", "form", "confirm_delete"]
    }
    assert not list(app.rglob("*-tpl")), "every template suffix is gone"
    identifier_rows = [html for html in app.rglob("*.html") if "identifier_rows" in html.read_text()]
    assert len(identifier_rows) == (len(models) if "--identifier" in arguments else 0), "on detail pages, if asked"
    leftover = re.compile(r"\b(app_name|model_name|singular_name|plural_name)\b")
    for html in app.rglob("*.html"):
        assert not leftover.search(html.read_text()), html
    for command in (["check"], ["format", "--check"]):
        result = project.run("-m", "ruff", *command, ".", check=False)
        assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in project.manage("check", "--fail-level", "WARNING", settings="dev").stdout
    project.manage("makemigrations", "--check", "--dry-run", settings="dev")
    project.manage("migrate", "--no-input", settings="dev")
    result = project.run("-m", "pytest", "-q", "-p", "no:cacheprovider", str(app), timeout=900)
    assert re.search(r"\d+ passed", result.stdout) and "failed" not in result.stdout, result.stdout
    loaded = project.manage("dev_setup", settings="dev").stdout
    rows = f"{len(models)} row{'s' * (len(models) != 1)}"  # one example category per model
    assert f"Example data of {name}: {rows} added, 0 kept as they were." in loaded
    # In the project's language from the first minute: its own catalogue (RowPermissionTests rendered every
    # page in that language above), its example row, and its place in the navigation.
    greek = options.get("language_code") == "el"
    catalogue = app / "locale" / "el" / "LC_MESSAGES" / "django.po"
    assert catalogue.exists() == (app / "locale").exists() == greek
    page = project.run("-c", NAVIGATION, settings="dev").stdout
    menu = ["Οικοδομικές άδειες", "Αυτοψίες"] if greek else ["Permits"]
    links = re.findall(r'class="nav-link" href="[^"]*">([^<]+)</a>', page)
    assert menu[0] in links and links[links.index(menu[0]) :][: len(menu)] == menu, links
    example = project.manage("shell", "-v0", "-c", EXAMPLE_ROW.format(name), settings="dev").stdout
    assert ("Γενικά" if greek else "General") in example
    if greek:
        need("xgettext")
        msgids = lambda: set(re.findall(r'^msgid "(.+)"', catalogue.read_text(encoding="utf-8"), re.MULTILINE))  # noqa: E731
        before = msgids()
        project.run("tasks.py", "messages")
        assert msgids() <= before, "python tasks.py messages found strings the app's catalogue lacked"


# Names that broke the project once: each is refused with one line before anything is written...
DJANGO_LABELS = ["admin", "auth", "sessions", "messages", "contenttypes", "staticfiles"]
REFUSED = [
    (["Άδειες"], "not 'Άδειες'"),
    (["json"], "conflicts with the name"),
    (["users"], "installed Django app"),
    (["urls"], "already has"),
    *(([label], "Django app") for label in DJANGO_LABELS),
    *(([keyword], "keyword") for keyword in ["class", "async", "none", "true"]),
    (["x_"], "lowercase ASCII identifier"),
    (["a__b"], "lowercase ASCII identifier"),
    (["things", "--model", "None"], "keyword"),
    (["things", "--model", "CreateView"], "already uses"),
    (["things", "--model", "Thing", "--model", "Thing"], "given twice"),
    (["things", "--model", "Thing", "--model", "ThingCategory"], "another model's category"),
    (["things", "--verbose-name", "thing", "--verbose-name", "other thing"], "at most one"),
    (["things", "--verbose-name", 'a "quoted" thing'], "one line each"),
    (["things", "--identifier", "vat"], "not 'vat'"),
    (["things", "--identifier", "postal_code", "--identifier", "postal_code"], "given twice"),
]
# ... or accepted, and then green: these clashed with the names in the generated tests, or with .gitignore.
ACCEPTED = ["imports", "clients", "categories", "passwords", "roles", "actions", "media"]


def snapshot(path):
    return {
        file: file.read_bytes()
        for file in sorted(path.rglob("*"))
        if file.is_file() and "__pycache__" not in file.parts
    }


def test_the_scaffold_refuses_a_bad_name_with_one_line_and_leaves_the_project_as_it_was(project):
    before = snapshot(project.path)
    for arguments, message in REFUSED:
        result = project.manage("startapp", *arguments, settings="dev", check=False)
        assert result.returncode == 1, arguments
        assert result.stderr.strip().splitlines() == [result.stderr.strip()] and message in result.stderr, (
            arguments,
            result.stderr,
        )
        assert snapshot(project.path) == before, arguments


def test_a_failure_halfway_puts_every_touched_file_back(project):
    urls = project.path / project.slug / "urls.py"
    before = snapshot(project.path)
    # A shape the scaffold cannot extend, found after the app's files were written.
    urls.write_text(urls.read_text().replace("urlpatterns += [", "urlpatterns = urlpatterns + ["))
    changed = snapshot(project.path)
    result = project.manage("startapp", "permits", settings="dev", check=False)
    assert result.returncode == 1 and "urls.py" in result.stderr
    assert snapshot(project.path) == changed != before


def test_names_that_clashed_with_the_generated_code_make_green_apps(project):
    for name in ACCEPTED:
        project.run("tasks.py", "startapp", name)
    project.manage("check", "--fail-level", "WARNING", settings="dev")
    project.manage("makemigrations", "--check", "--dry-run", settings="dev")
    result = project.run("-m", "pytest", "-q", "-p", "no:cacheprovider", str(project.path / project.slug), timeout=900)
    assert re.search(r"\d+ passed", result.stdout) and "failed" not in result.stdout, result.stdout
    assert "error" not in result.stdout.lower(), result.stdout
    subprocess.run(["git", "init", "-q", str(project.path)], check=True)
    app_file = project.path / project.slug / "media" / "models.py"
    assert subprocess.run(["git", "-C", str(project.path), "check-ignore", "-q", str(app_file)]).returncode == 1
    uploads = project.path / "media" / "protected" / "x.pdf"
    assert subprocess.run(["git", "-C", str(project.path), "check-ignore", "-q", str(uploads)]).returncode == 0
