"""The answers: bad ones stop the bake with one clear line before anything is written (local_extensions.py)."""

import ast
import collections
import contextlib
import keyword
import random
import re
import shutil
import subprocess
import sys
import tomllib

import pytest
from cookiecutter.exceptions import CookiecutterException, FailedHookException
from helpers import DEFAULTS, REPO
from hypothesis import example, given
from hypothesis import strategies as st
from jinja2 import TemplateSyntaxError

import local_extensions
from tools import reserved_names

VALID = {name: DEFAULTS[name] for name in ["project_name", "description", "author_name", "author_email"]} | {
    "project_slug": "intranet",
    "domain_name": "intranet.example.com",
    "time_zone": "Europe/Athens",
    "language_code": "en-us",
}

INVALID_ANSWERS = [
    ("project_slug", "My-Project", "lowercase Python identifier"),
    ("project_slug", "1intranet", "lowercase Python identifier"),
    ("project_slug", "intra net", "lowercase Python identifier"),
    ("project_slug", "Intranet", "lowercase Python identifier"),
    ("project_slug", "class", "keyword"),
    ("project_slug", "", "lowercase Python identifier"),
    ("project_slug", "match", "keyword"),
    ("project_slug", "django", "shadow"),
    ("project_slug", "test", "shadow"),
    ("project_slug", "site", "shadow"),
    ("project_slug", "os", "shadow"),
    ("project_slug", "logging", "shadow"),
    ("project_slug", "crispy_forms", "shadow"),
    ("author_email", "not-an-email", "not an email"),
    ("author_email", "a@b", "not an email"),
    ("author_email", "a b@example.com", "not an email"),
    ("time_zone", "Mars/Olympus", "time zone"),
    ("time_zone", "../../etc/passwd", "time zone"),
    ("domain_name", "bad domain", "host name"),
    ("language_code", "English", "language code"),
    ("project_name", 'Say "hi"', "quotes"),
    ("author_name", "back\\slash", "quotes"),
    ("description", "  ", "empty"),
]


def test_the_defaults_are_valid():
    local_extensions.validate(VALID)


@pytest.mark.parametrize(("name", "value", "message"), INVALID_ANSWERS)
def test_invalid_answer_is_rejected_with_a_reason(name, value, message):
    with pytest.raises(local_extensions.InvalidAnswer, match=message):
        local_extensions.validate({**VALID, name: value})


@pytest.mark.parametrize(("name", "value", "message"), INVALID_ANSWERS[::4])
def test_rejected_bake_fails_and_leaves_no_directory(cookies, tmp_path, name, value, message):
    result = cookies.bake(extra_context={name: value})
    assert isinstance(result.exception, FailedHookException) and re.search(message, str(result.exception))
    assert written_by(tmp_path) == []


def test_command_line_prints_one_line_and_exits_1(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "cookiecutter", str(REPO), "--no-input", "-o", str(tmp_path), "project_slug=django"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    # One line and nothing else: no Cookiecutter traceback around it.
    output = (result.stdout + result.stderr).strip().splitlines()
    assert output == ["ERROR: project_slug 'django' would shadow the module of the same name; pick another."]
    assert list(tmp_path.iterdir()) == []


@given(st.text(max_size=50))
@example("deploy")  # the project's own folder: found by the fuzz once, kept
def test_slug_fuzz_accepts_exactly_safe_identifiers(slug):
    expected = (
        slug.isidentifier()
        and slug.isascii()
        and slug == slug.lower()
        and slug[:1].isalpha()
        and len(slug) <= 40
        and not keyword.iskeyword(slug)
        and not keyword.issoftkeyword(slug)
        and slug not in sys.stdlib_module_names
        and slug not in local_extensions.RESERVED_NAMES
        and slug not in local_extensions.PROJECT_FOLDER_NAMES
    )
    try:
        local_extensions.validate_slug(slug)
    except local_extensions.InvalidAnswer as error:
        assert not expected
        assert "\n" not in str(error)
    else:
        assert expected


@given(st.text(max_size=60))
@example("0@[")  # crashed Python's own address parser (AttributeError) before the hook caught it
def test_email_fuzz_never_accepts_spaces_or_missing_at(email):
    try:
        local_extensions.validate({**VALID, "author_email": email})
    except local_extensions.InvalidAnswer:
        return
    local, _, domain = email.partition("@")
    assert local and "." in domain and not any(char.isspace() for char in email)


HOSTILE_ANSWERS = [
    ("author_email", 'x"+__import__("os").getcwd()+"@a.bc'),
    ("project_name", "Permits\u202egnp.exe"),
    ("description", "line\u2028separator"),
    ("author_name", "next\u0085line"),
    ("author_name", "zero\u200bwidth"),
    ("language_code", "qq"),
    ("language_code", "xx-yy"),
    ("project_slug", "a/b"),
    ("project_slug", "../escape"),
    # Beside the package: locks.py (the hook imports it), devdb.py (tasks.py does), static/ and deploy/.
    *[("project_slug", name) for name in ("locks", "devdb", "tasks", "static", "deploy", "app_template")],
    ("project_name", "x" * 101),
    ("author_email", "a" * 89 + "@example.com"),
    ("domain_name", "d" * 61 + "." + "e" * 15 + ".gov"),
    ("domain_name", "example"),
]


@pytest.mark.parametrize(("name", "value"), HOSTILE_ANSWERS)
def test_hostile_answers_are_refused_before_anything_is_written(cookies, tmp_path, name, value):
    result = cookies.bake(extra_context={name: value})
    assert isinstance(result.exception, FailedHookException)
    assert re.fullmatch(r"ERROR: [^\n]+", str(result.exception))
    assert written_by(tmp_path) == []


def test_the_language_list_is_djangos(baked_python):
    result = subprocess.run(
        [str(baked_python), "-c", "from django.conf import global_settings as g; print(*[c for c, _ in g.LANGUAGES])"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert set(result.stdout.split()) == local_extensions.DJANGO_LANGUAGES


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Μητρώο Αδειών", "mitroo_adeion"),
        ("Ευρετήριο Ουσιών", "evretirio_ousion"),
        ("Café Crème", "cafe_creme"),
        ("2026 Budget!", "budget"),
        ("ACME, Inc.", "acme_inc"),
        ("???", "project"),
    ],
)
def test_default_slug_is_an_ascii_transliteration(name, slug):
    assert local_extensions.ascii_slug(name) == slug


def test_a_greek_name_bakes_with_no_other_answer(bake):
    path = bake(project_name="Μητρώο Αδειών", language_code="el")
    assert path.name == "mitroo_adeion"
    assert '"mitroo-adeion.example.com"' in (path / "mitroo_adeion" / "settings" / "prod.py").read_text(
        encoding="utf-8"
    )
    base = (path / "mitroo_adeion" / "settings" / "base.py").read_text(encoding="utf-8")
    assert 'PROJECT_NAME = "Μητρώο Αδειών"' in base


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("author_email", '"john.doe"@example.com'),
        ("project_name", "ACME, Inc. 100% {it's} $(here)"),
        ("author_name", "O'Brien & Παπαδόπουλος"),
    ],
)
def test_unusual_but_valid_answers_bake_as_plain_literals(cookies, name, value):
    baked = bake_in_process(cookies, {name: value})
    assert baked is not None
    assert_answers_are_literals(*baked)


def bake_in_process(cookies, answers):
    """pytest-cookies' bake, through Cookiecutter's API (far quicker than its command line): (project, answers as
    rendered), or None if refused. Any other exception is a crash: raised."""
    result = cookies.bake(extra_context=answers)
    if result.exception is None:
        return result.project_path, result.context
    # Refused, or template syntax in an answer that cannot render.
    if isinstance(result.exception, (CookiecutterException, TemplateSyntaxError)):
        return None
    raise result.exception


def written_by(tmp_path):
    """The files pytest-cookies' bakes left in the test's folder (cookies/bake00, bake01...)."""
    return [path for path in (tmp_path / "cookies").rglob("*") if path.is_file()]


def literal_settings(project):
    """The settings base.py assigns from literals (PROJECT_NAME, ADMINS, ...), read without running it."""
    tree = ast.parse((project / project.name / "settings" / "base.py").read_text(encoding="utf-8"))
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            with contextlib.suppress(ValueError):
                values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


def assert_answers_are_literals(project, context, compiled=None):
    """The answers baked as literals: every module compiles (but those of ``compiled``, {relative path: the bytes
    of a module known to compile}, where they are the same bytes) and the settings hold the answers."""
    for path in project.rglob("*.py"):
        code = path.read_bytes()
        if (compiled or {}).get(path.relative_to(project).as_posix()) != code:
            compile(code, str(path), "exec")
    settings = literal_settings(project)
    assert settings["PROJECT_NAME"] == context["project_name"]
    assert settings["ADMINS"] == [(context["author_name"], context["author_email"])]
    assert settings["LANGUAGE_CODE"] == context["language_code"]
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["description"] == context["description"]
    unit = (project / "deploy" / f"{project.name}.service").read_text(encoding="utf-8")
    assert f"Description={context['project_name'].replace('%', '%%')} (gunicorn)\n" in unit


# Pieces of hostile answers: quotes and escapes of every file format the answers reach, template syntax,
# shell metacharacters, systemd specifiers, invisible and right-to-left characters, very long text.
HOSTILE_PIECES = [
    *['"', "'", "\\", "\n", "\r", "\t", "\x00", "\x7f", '"""', "'''", "#", "/*", "*/"],
    *["{{ 7*7 }}", "{# note #}", "{{", "}}", "{%", "%}", "{% raw %}", "{{ cookiecutter.project_slug }}"],
    *["$(id)", "`id`", "${HOME}", ";", "|", "&&", ">", "<", "*", "~"],
    *["%", "%n", "%%", "%{", "@", ",", ".", "..", "/", "-", "_", " ", "  "],
    *["é", "Μητρώο", "Ω", "ß", "日本", "😀", "\u202e", "\u2028", "\u2029", "\u0085", "\u200b", "\ufeff", "\ud800"],
    *['__import__("os").system("id")', "' + x + '", '" + x + "', "\\n", "\\x00", "x" * 300],
]
FUZZED_FIELDS = ["project_name", "description", "author_name", "author_email", "project_slug", "domain_name"]
FUZZ_CHUNKS, FUZZ_PER_CHUNK = 4, 250


def hostile_answer(rng):
    pieces = rng.choices(HOSTILE_PIECES, k=rng.randint(1, 4))
    if rng.random() < 0.5:
        pieces.insert(rng.randint(0, len(pieces)), rng.choice(["Intranet", "you", "a.b", "x@example.com"]))
    return "".join(pieces)


@pytest.mark.parametrize("chunk", range(FUZZ_CHUNKS))
def test_a_thousand_hostile_answers_are_refused_or_baked_as_literals(cookies, tmp_path, chunk):
    rng = random.Random(chunk)
    outcomes = collections.Counter()
    # An answer changes a few modules: those the default answers bake, compiled once, need no second time.
    plain, context = bake_in_process(cookies, {})
    assert_answers_are_literals(plain, context)
    compiled = {path.relative_to(plain).as_posix(): path.read_bytes() for path in plain.rglob("*.py")}
    shutil.rmtree(plain)
    for _ in range(FUZZ_PER_CHUNK):
        name, value = rng.choice(FUZZED_FIELDS), hostile_answer(rng)
        baked = bake_in_process(cookies, {name: value})
        if baked is None:
            assert written_by(tmp_path) == []
            outcomes["refused"] += 1
            continue
        assert_answers_are_literals(*baked, compiled)
        shutil.rmtree(baked[0])
        outcomes["baked"] += 1
    assert sum(outcomes.values()) == FUZZ_PER_CHUNK
    assert outcomes["baked"] > 0 and outcomes["refused"] > 0, outcomes


@pytest.mark.parametrize("project_name", ["ACME, Inc.", "Μητρώο Αδειών (Δήμος)", "Say 'hi' 100%"])
def test_mail_from_the_project_name_works_in_the_baked_project(bake, baked_python, project_name):
    tests = subprocess.run(
        [str(baked_python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "mail_goes_out"],
        cwd=bake(project_name=project_name),
        capture_output=True,
        text=True,
    )
    assert "1 passed" in tests.stdout, tests.stdout + tests.stderr


@pytest.mark.parametrize("slug", ["django_tables2", "django_filters", "psycopg", "django_sendfile", "gunicorn"])
def test_a_slug_naming_an_installed_module_is_refused(slug):
    with pytest.raises(local_extensions.InvalidAnswer, match="shadow"):
        local_extensions.validate_slug(slug)


def test_the_reserved_names_are_the_modules_the_projects_install(baked_python):
    """Derived, not kept by hand: every top-level module of every package a baked project installs."""
    installed = reserved_names.installed_modules(baked_python)
    assert {"django", "django_tables2", "django_filters", "crispy_forms", "unpoly", "psycopg"} <= installed
    reserved = local_extensions.RESERVED_NAMES - local_extensions.ALWAYS_RESERVED
    assert reserved == installed, "the project's requirements changed: run python tools/reserved_names.py"
