"""Every option combination bakes a project that is clean, checks out and passes its own tests."""

import os
import re
import stat
import subprocess
import sys

import pytest
from helpers import REPO, REVIEWED_STATEMENT, TEMPLATE, text_files

from option_rule import OPTIONS, baked_path, markers_of_unselected, variant_tag, without_owned_lines

# The answers, an option's "no" included, for python tasks.py update (tools/update.py).
ANSWERS_RECORD = ".cruft.json"
UP_ATTRIBUTE = re.compile(r" up-[a-z-]+(=\"[^\"]*\")?")
LEFTOVER_SYNTAX = re.compile(r"\{\{-?\s*cookiecutter|\{%-?\s*(raw|endraw|if cookiecutter)\b|cookiecutter\.")


def test_no_cookiecutter_syntax_is_left(project):
    leftovers = [
        str(path.relative_to(project.path)) for path, text in text_files(project.path) if LEFTOVER_SYNTAX.search(text)
    ]
    assert leftovers == []
    assert not list(project.path.rglob("*.j2"))


def test_django_templates_are_copied_untouched(project):
    """``{{ }}`` in Django templates must survive the bake (they are in _copy_without_render)."""
    compared = 0
    for source in TEMPLATE.rglob("*.html"):
        if variant_tag(source):
            continue
        relative = source.relative_to(TEMPLATE).as_posix()
        baked = project.path / baked_path(relative, project.slug)
        for option, selected in project.options.items():
            variant = source.with_name(f"{source.stem}.{OPTIONS[option].get('variants')}.html")
            if selected and variant.exists():
                source = variant
        if baked.exists():
            expected = without_owned_lines(
                source.read_text(encoding="utf-8"), markers_of_unselected(relative, project.options)
            )
            assert baked.read_text(encoding="utf-8") == expected, relative
            compared += 1
    assert compared >= 8
    assert "{{ form|crispy }}" in (project.path / "templates/registration/login.html").read_text()


def test_ruff_is_clean(project):
    for command in (["check"], ["format", "--check"]):
        result = project.run("-m", "ruff", *command, ".", check=False)
        assert result.returncode == 0, result.stdout + result.stderr


# The longest answers the checks accept (local_extensions.py), every option on: no generated line grows past ruff's.
LONGEST_ANSWERS = {
    "project_name": "Μ" * 100,
    "project_slug": "r" * 40,
    "description": "Δ" * 100,
    "author_name": "Α" * 100,
    "author_email": "a" * 88 + "@example.com",
    "domain_name": "d" * 61 + "." + "e" * 14 + ".gov",
}


@pytest.mark.parametrize(
    "answers",
    [{"project_name": "Μητρώο Αδειών Λειτουργίας Καταστημάτων"}, LONGEST_ANSWERS],
    ids=["long-greek-name", "longest-answers"],
)
def test_long_answers_bake_a_ruff_clean_project(bake_project, answers):
    project = bake_project(**answers, **dict.fromkeys(OPTIONS, True))
    assert len(project.slug) >= 38
    for command in (["check"], ["format", "--check"]):
        result = project.run("-m", "ruff", *command, ".", check=False)
        assert result.returncode == 0, result.stdout + result.stderr
    project.manage("check")


@pytest.mark.parametrize("settings", ["dev", "test", "uat", "prod"])
def test_check_passes_under_every_settings_module(project, settings):
    if settings in ("uat", "prod"):
        project.fill_local()
    result = project.manage("check", "--fail-level", "WARNING", settings=settings)
    assert "no issues" in result.stdout


def test_deploy_check_is_clean_with_a_filled_local_py(project):
    project.fill_local(extra=REVIEWED_STATEMENT)
    result = project.manage("check", "--deploy", "--fail-level", "WARNING", settings="prod")
    assert "System check identified no issues" in result.stdout


def test_a_first_deploy_passes_and_notes_the_statement_not_yet_reviewed(default_project):
    default_project.fill_local()
    result = default_project.manage("check", "--deploy", "--fail-level", "WARNING", settings="prod")
    assert re.findall(r"\(([\w.]+\.[CEWI]\d+)\)", result.stdout + result.stderr) == ["core.I001"]


def test_no_missing_migrations(project):
    project.manage("makemigrations", "--check", "--dry-run", settings="dev")


def test_migrate_runs_on_sqlite(project):
    result = project.manage("migrate", "--no-input", settings="dev")
    assert "Applying users.0001_initial... OK" in result.stdout
    assert (project.path / "db.sqlite3").exists()


def test_own_test_suite_passes(project):
    result = project.run("-m", "pytest", "-q", "-p", "no:cacheprovider", timeout=900)
    assert re.search(r"\d+ passed", result.stdout), result.stdout
    assert "failed" not in result.stdout and "error" not in result.stdout.lower()


def test_collectstatic_under_prod_writes_hashed_names_and_a_manifest(project):
    project.fill_local()
    project.manage("collectstatic", "--no-input", settings="prod")
    collected = project.path / "collected_static"
    manifest = collected / "staticfiles.json"
    assert manifest.exists()
    assert list(collected.glob("css/site.*.css")), "site.css should be copied under a content hash"
    assert '"css/site.css": "css/site.' in manifest.read_text()


@pytest.mark.parametrize("environment", ["uat", "prod"])
def test_deployed_settings_refuse_to_start_without_local_py(project, environment):
    (project.path / project.slug / "settings" / "local.py").unlink(missing_ok=True)
    result = project.manage("check", settings=environment, check=False)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is empty" in result.stderr


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_local_py_is_readable_by_its_owner_only(bake):
    local = bake() / "intranet" / "settings" / "local.py"
    assert stat.S_IMODE(local.stat().st_mode) == 0o600


def test_every_bake_gets_its_own_secret_key(bake):
    keys = set()
    for _ in range(2):
        local = (bake() / "intranet" / "settings" / "local.py").read_text()
        (key,) = re.findall(r'SECRET_KEY = "(.+)"', local)
        assert len(key) >= 50
        keys.add(key)
    assert len(keys) == 2


@pytest.mark.parametrize("use_unpoly", [False, True])
def test_documents_option_off_leaves_no_trace(bake, use_unpoly):
    path = bake(include_documents_app=False, use_unpoly=use_unpoly)
    mentions = [str(file.relative_to(path)) for file, text in text_files(path) if "documents" in text.lower()]
    assert mentions == [ANSWERS_RECORD]
    assert not (path / "intranet" / "documents").exists()


def test_unpoly_option_off_leaves_no_trace(bake):
    path = bake(use_unpoly=False)
    mentions = [str(file.relative_to(path)) for file, text in text_files(path) if "unpoly" in text.lower()]
    assert mentions == [ANSWERS_RECORD]
    assert [str(file.relative_to(path)) for file in path.rglob("*") if "unpoly" in file.name.lower()] == []
    attributes = [
        str(file.relative_to(path)) for file in path.rglob("*.html") if UP_ATTRIBUTE.search(file.read_text())
    ]
    assert attributes == []
    # Only the Unpoly configuration goes; the formsets script and the development accessibility check serve
    # every project.
    scripts = sorted(file.name for file in (path / "static" / "js").iterdir())
    assert scripts == ["accessibility_check.js", "admin.js", "formsets.js", "messages.js"]


def test_unpoly_option_on_swaps_in_every_variant(bake):
    path = bake(use_unpoly=True)
    assert list(path.rglob("*.unpoly.*")) == []
    assert "unpoly.min.js" in (path / "templates" / "partials" / "_assets.html").read_text()
    assert "up-validate" in (path / "templates" / "form_page.html").read_text()
    assert UP_ATTRIBUTE.search((path / "templates" / "partials" / "_messages.html").read_text())
    assert (path / "static" / "vendor" / "unpoly" / "LICENSE").exists()
    assert "intranet.unpoly.middleware.UnpolyMiddleware" in (path / "intranet" / "settings" / "base.py").read_text()


def test_answers_reach_the_generated_files(bake):
    path = bake(project_name="Staff Portal", time_zone="America/New_York", domain_name="portal.example.org")
    base = (path / "staff_portal" / "settings" / "base.py").read_text()
    assert 'PROJECT_NAME = "Staff Portal"' in base
    assert 'TIME_ZONE = "America/New_York"' in base
    assert 'STATIC_URL = "/static_staff_portal/"' in base
    assert '"portal.example.org"' in (path / "staff_portal" / "settings" / "prod.py").read_text()


def test_template_repository_is_ruff_clean():
    for command in (["check"], ["format", "--check"]):
        ruff = [sys.executable, "-m", "ruff", *command, "--no-cache", str(REPO)]
        result = subprocess.run(ruff, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout


def test_organization_login_works_against_a_real_directory(bake_project, need):
    """The baked project's own directory tests, on Debian's slapd with TLS: they skip without it, CI has it."""
    need("slapd", "/usr/sbin")
    need("openssl")
    project = bake_project(use_ldap=True)
    tests = project.path / project.slug / "directory"
    result = project.run("-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(tests), timeout=300)
    assert re.search(r"\d+ passed", result.stdout) and "skipped" not in result.stdout, result.stdout


def test_a_bake_keeps_of_the_locks_what_its_options_need(bake):
    """Every option on: the template's locks as uv made them. None: nothing an option alone needs, and no
    "# via" line names a package the lock no longer pins (the project's test_locks checks the rest)."""
    every = bake(**dict.fromkeys(OPTIONS, True)) / "requirements"
    none = bake(**dict.fromkeys(OPTIONS, False)) / "requirements"
    for lock in ("dev.txt", "prod.txt"):
        assert (every / lock).read_bytes() == (TEMPLATE / "requirements" / lock).read_bytes()
        text = (none / lock).read_text()
        pinned = set(re.findall(r"(?m)^([a-z0-9-]+)(?:\[[^\]]*\])?==", text))
        named = set(re.findall(r"(?m)^    # via ([a-z0-9-]+)$", text)) | set(
            re.findall(r"(?m)^    #   ([a-z0-9-]+)$", text)
        )
        assert named <= pinned, named - pinned
        assert not {"boto3", "botocore", "ldap3", "unpoly", "django-hijack", "django-tasks"} & pinned
        assert {"django", "gunicorn" if lock == "prod.txt" else "pytest"} <= pinned
        # One lock for Linux and Windows: what only Windows installs is in it, under its marker.
        assert re.search(r"(?m)^tzdata==\S+ ; sys_platform == 'win32' \\$", text)
