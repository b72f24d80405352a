"""Validate the answers before Cookiecutter writes anything.

A rejected answer prints one line on stderr and exits 1; Cookiecutter then
removes whatever it had started, so nothing is left on disk.
"""

import json
import keyword
import re
import sys
import zoneinfo

# Top-level names a project package must not take, since manage.py puts the
# project first on sys.path: the project's dependencies, and the test packages
# that sys.stdlib_module_names leaves out.
RESERVED_NAMES = frozenset(
    {
        "test",
        "tests",
        "anyascii",
        "asgiref",
        "bleach",
        "crispy_bootstrap5",
        "crispy_forms",
        "debug_toolbar",
        "django",
        "django_cleanup",
        "django_extensions",
        "django_sendfile",
        "django_tools",
        "gunicorn",
        "hypothesis",
        "psycopg",
        "pytest",
        "pytest_django",
        "sqlparse",
        "unpoly",
        "werkzeug",
    }
)
SLUG_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
DOMAIN_PATTERN = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")
# Free text is written into Python and TOML string literals.
FREE_TEXT_FORBIDDEN = re.compile(r'["\\\x00-\x1f\x7f]')


class InvalidAnswer(ValueError):
    pass


def validate_slug(slug):
    if not SLUG_PATTERN.fullmatch(slug):
        raise InvalidAnswer(
            f"project_slug {slug!r} must be a lowercase Python identifier of at most 40 characters"
            " (letters, digits, underscores; starting with a letter)."
        )
    if keyword.iskeyword(slug) or keyword.issoftkeyword(slug):
        raise InvalidAnswer(f"project_slug {slug!r} is a Python keyword.")
    if slug in sys.stdlib_module_names or slug in RESERVED_NAMES:
        raise InvalidAnswer(f"project_slug {slug!r} would shadow the module of the same name; pick another.")


def validate_free_text(name, value):
    if not value.strip():
        raise InvalidAnswer(f"{name} must not be empty.")
    if FREE_TEXT_FORBIDDEN.search(value):
        raise InvalidAnswer(f"{name} {value!r} must not contain quotes, backslashes or control characters.")


def validate(answers):
    """Raise InvalidAnswer, with a one-line message, for the first bad answer."""
    for name in ("project_name", "description", "author_name"):
        validate_free_text(name, answers[name])
    validate_slug(answers["project_slug"])
    if not EMAIL_PATTERN.fullmatch(answers["author_email"]):
        raise InvalidAnswer(f"author_email {answers['author_email']!r} is not an email address.")
    if not DOMAIN_PATTERN.fullmatch(answers["domain_name"]):
        raise InvalidAnswer(f"domain_name {answers['domain_name']!r} is not a lowercase host name.")
    known_zones = zoneinfo.available_timezones()
    # Empty only on Windows without the tzdata package: Django installs it there anyway.
    if known_zones and answers["time_zone"] not in known_zones:
        raise InvalidAnswer(f"time_zone {answers['time_zone']!r} is not a known IANA time zone (e.g. Europe/Athens).")
    if not LANGUAGE_PATTERN.fullmatch(answers["language_code"]):
        raise InvalidAnswer(f"language_code {answers['language_code']!r} is not a language code such as en-us.")


def main():
    answers = json.loads(r"""{{ cookiecutter | jsonify }}""")
    try:
        validate(answers)
    except InvalidAnswer as error:
        print(f"ERROR: {error}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
