"""The template's answers: ASCII defaults, validation before anything is written, safe Python literals.

Cookiecutter loads this module through "_extensions" in cookiecutter.json. Its filters are used
there and in the template's files:

- ``ascii_slug``: "Μητρώο Αδειών" -> "mitroo_adeion", the default project_slug (and domain_name);
- ``checked_answers``: rendered once every question is answered (the "__answers_checked" entry), so
  a bad answer stops the bake with one line before any directory exists;
- ``py_str``: an answer as a Python string literal, the way ruff formats it, never as code;

and one global, ``template_repository``: the folder this template was baked from, where the post-gen
hook finds the option rule (option_rule.py), also when cruft bakes from a temporary clone.
"""

import json
import keyword
import re
import sys
import unicodedata
import zoneinfo
from email.errors import HeaderParseError
from email.headerregistry import Address
from pathlib import Path

from cookiecutter.exceptions import FailedHookException
from jinja2.ext import Extension

# Top-level names a project package must not take, since manage.py puts the project first on
# sys.path: the modules of every package a baked project installs (reserved_modules.txt, written by
# tools/reserved_names.py and checked against the requirements by the tests), the tools every
# virtualenv has, and the test packages that sys.stdlib_module_names leaves out.
ALWAYS_RESERVED = frozenset({"test", "tests", "pip", "setuptools", "pkg_resources"})
RESERVED_MODULES = Path(__file__).with_name("reserved_modules.txt").read_text(encoding="utf-8").splitlines()
RESERVED_NAMES = ALWAYS_RESERVED | {name for name in RESERVED_MODULES if name and not name.startswith("#")}
# What sits beside the project package in a generated project (manage.py, tasks.py, locks.py, deploy/, static/):
# a package of the same name would hide the module, or share the folder.
PROJECT_FOLDER_NAMES = frozenset(
    path.name.removesuffix(".py")
    for path in (Path(__file__).resolve().parent / "{{cookiecutter.project_slug}}").iterdir()
    if not path.name.startswith((".", "{"))
)
# django.conf.global_settings.LANGUAGES of the Django the projects pin (tests/test_hooks.py compares them).
LANGUAGES_TEXT = """
af ar ar-dz ast az bg be bn br bs ca ckb cs cy da de dsb el en en-au en-gb eo es es-ar es-co es-mx es-ni es-ve et eu
fa fi fr fy ga gd gl he hi hr hsb hu hy ia id ig io is it ja ka kab kk km kn ko ky lb lt lv mk ml mn mr ms my nb ne nl
nn os pa pl pt pt-br ro ru sk sl sq sr sr-latn sv sw ta te tg th tk tr tt udm ug uk ur uz vi zh-hans zh-hant
"""
DJANGO_LANGUAGES = frozenset(LANGUAGES_TEXT.split())
SLUG_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")
# At most 80 characters: the generated settings quote it on one line.
DOMAIN_PATTERN = re.compile(r"(?=.{1,80}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?")
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")
# Lengths that keep every generated line within ruff's 119 characters, the longest slug included.
FREE_TEXT_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 100
# Quotes and backslashes would need escaping in every file format the answers reach.
FREE_TEXT_FORBIDDEN = frozenset('"\\')
# Control, format (bidirectional overrides, zero-width), line and paragraph separators, unassigned, private use.
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp"})
# Greek to Latin after ELOT 743, for default slugs; accents go with NFKD first.
GREEK_LATIN = "a v g d e z i th i k l m n x o p r s s t y f ch ps o"
GREEK = dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω", GREEK_LATIN.split(), strict=True))
GREEK_PAIRS = {"ου": "ou", "αυ": "av", "ευ": "ev", "γγ": "ng", "γκ": "gk", "μπ": "mp", "ντ": "nt"}


class InvalidAnswer(ValueError):
    pass


def ascii_slug(name, separator="_"):
    """'Μητρώο Αδειών' -> 'mitroo_adeion'; 'Café Crème' -> 'cafe_creme'."""
    text = "".join(char for char in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(char))
    for pair, latin in GREEK_PAIRS.items():
        text = text.replace(pair, latin)
    text = "".join(GREEK.get(char, char) for char in text)
    words = re.findall(r"[a-z0-9]+", text)
    slug = separator.join(words).lstrip("0123456789" + separator)
    return slug or "project"


def py_str(value):
    """A Python string literal for ``value`` in the quotes ruff would pick: data, never code."""
    body = json.dumps(value, ensure_ascii=False)[1:-1]
    if '"' in value and "'" not in value:
        return "'" + body.replace('\\"', '"') + "'"
    return f'"{body}"'


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
    if slug in PROJECT_FOLDER_NAMES:
        raise InvalidAnswer(f"project_slug {slug!r} is taken by the project's own {slug!r} beside it; pick another.")


def validate_free_text(name, value):
    if not value.strip():
        raise InvalidAnswer(f"{name} must not be empty.")
    if len(value) > FREE_TEXT_MAX_LENGTH:
        raise InvalidAnswer(f"{name} must be at most {FREE_TEXT_MAX_LENGTH} characters.")
    if any(char in FREE_TEXT_FORBIDDEN or unicodedata.category(char) in FORBIDDEN_CATEGORIES for char in value):
        raise InvalidAnswer(
            f"{name} {value!r} must not contain quotes, backslashes, control or invisible formatting characters."
        )


def validate_email(email):
    if len(email) > EMAIL_MAX_LENGTH:
        raise InvalidAnswer(f"author_email must be at most {EMAIL_MAX_LENGTH} characters.")
    try:
        address = Address(addr_spec=email)
    # Python's parser fails on some malformed addresses with AttributeError ("0@[") or IndexError.
    except (HeaderParseError, ValueError, IndexError, AttributeError) as error:
        raise InvalidAnswer(f"author_email {email!r} is not an email address.") from error
    # Address() accepts quoted local parts ("john.doe"@example.com) and drops quotes it does not need.
    usable = "." in address.domain and not address.domain.endswith(".")
    if not usable or any(char.isspace() or unicodedata.category(char) in FORBIDDEN_CATEGORIES for char in email):
        raise InvalidAnswer(f"author_email {email!r} is not an email address.")


def validate_language(code):
    if not LANGUAGE_PATTERN.fullmatch(code) or not {code, code.partition("-")[0]} & DJANGO_LANGUAGES:
        raise InvalidAnswer(f"language_code {code!r} is not a language code Django knows (e.g. en-us, el, de).")


def validate(answers):
    """Raise InvalidAnswer, with a one-line message, for the first bad answer."""
    for name in ("project_name", "description", "author_name"):
        validate_free_text(name, answers[name])
    validate_slug(answers["project_slug"])
    validate_email(answers["author_email"])
    if not DOMAIN_PATTERN.fullmatch(answers["domain_name"]):
        raise InvalidAnswer(
            f"domain_name {answers['domain_name']!r} is not a lowercase host name"
            " of at most 80 characters (e.g. example.com)."
        )
    known_zones = zoneinfo.available_timezones()
    # Empty only on Windows without the tzdata package: Django installs it there anyway.
    if known_zones and answers["time_zone"] not in known_zones:
        raise InvalidAnswer(f"time_zone {answers['time_zone']!r} is not a known IANA time zone (e.g. Europe/Athens).")
    validate_language(answers["language_code"])


def checked_answers(answers):
    """Stop the bake, before any file is written, with one line naming the first bad answer."""
    try:
        validate(answers)
    except InvalidAnswer as error:
        # Cookiecutter's command line prints this exception's message alone and exits with status 1.
        raise FailedHookException(f"ERROR: {error}") from None
    return "yes"


class AnswersExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.filters.update(ascii_slug=ascii_slug, checked_answers=checked_answers, py_str=py_str)
        environment.globals["template_repository"] = str(Path(__file__).resolve().parent)
