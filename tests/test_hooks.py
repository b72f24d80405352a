"""The pre-generation hook: bad answers stop the bake with one clear line and leave nothing behind."""

import importlib.util
import json
import keyword
import subprocess
import sys

import pytest
from conftest import REPO
from cookiecutter.exceptions import FailedHookException
from cookiecutter.main import cookiecutter
from hypothesis import given
from hypothesis import strategies as st

spec = importlib.util.spec_from_file_location("pre_gen_project", REPO / "hooks" / "pre_gen_project.py")
pre_gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pre_gen)

DEFAULTS = json.loads((REPO / "cookiecutter.json").read_text())
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
    pre_gen.validate(VALID)


@pytest.mark.parametrize(("name", "value", "message"), INVALID_ANSWERS)
def test_invalid_answer_is_rejected_with_a_reason(name, value, message):
    with pytest.raises(pre_gen.InvalidAnswer, match=message):
        pre_gen.validate({**VALID, name: value})


@pytest.mark.parametrize(("name", "value", "message"), INVALID_ANSWERS[::4])
def test_rejected_bake_fails_and_leaves_no_directory(cookies, tmp_path_factory, name, value, message):
    result = cookies.bake(extra_context={name: value})
    assert result.exit_code != 0
    assert isinstance(result.exception, FailedHookException)
    assert result.project_path is None
    output = tmp_path_factory.mktemp("output")
    with pytest.raises(FailedHookException):
        cookiecutter(str(REPO), no_input=True, extra_context={name: value}, output_dir=str(output))
    assert list(output.iterdir()) == []


def test_command_line_prints_one_line_and_exits_1(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "cookiecutter", str(REPO), "--no-input", "-o", str(tmp_path), "project_slug=django"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR:")]
    assert errors == ["ERROR: project_slug 'django' would shadow the module of the same name; pick another."]
    assert list(tmp_path.iterdir()) == []


@given(st.text(max_size=50))
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
        and slug not in pre_gen.RESERVED_NAMES
    )
    try:
        pre_gen.validate_slug(slug)
    except pre_gen.InvalidAnswer as error:
        assert not expected
        assert "\n" not in str(error)
    else:
        assert expected


@given(st.text(max_size=60))
def test_email_fuzz_never_accepts_spaces_or_missing_at(email):
    try:
        pre_gen.validate({**VALID, "author_email": email})
    except pre_gen.InvalidAnswer:
        return
    local, _, domain = email.partition("@")
    assert local and "." in domain and not any(char.isspace() for char in email)
