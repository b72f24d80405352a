"""The scaffold: a new app in the project package, from an app template, that passes its checks and tests at once.

Two commands use it: startapp (from the project's app_template/) and, with the Access import, access_startapp
(from access_import/app_template/). In the order they call it:
- validation: ``validate`` refuses, before anything is written, a name that would leave the project broken;
- rendering: ``create_app`` renders the template with Django's own startapp, lets the command ``complete`` it,
  then sorts and formats it as the project's ruff does;
- registration: the app goes at the end of PROJECT_APPS (and of the apps' URLs), and gets its first migration.
On any failure the project is left as it was: no half-made app, no registry naming an app that is not there.
"""

import ast
import importlib.util
import keyword
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

from anyascii import anyascii
from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.startapp import Command as DjangoStartAppCommand

PACKAGE_DIR = Path(__file__).resolve().parents[1]
APP_TEMPLATE = PACKAGE_DIR.parent / "app_template"
SETTINGS_FILE = PACKAGE_DIR / "settings" / "base.py"
URLCONF_FILE = PACKAGE_DIR / "urls.py"
# Words separated by single underscores: Django refuses "x_" and "a__b" as names of related fields.
APP_NAME = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")
IMPORTED = re.compile(r"^from \S+ import (.+)$|^import (\S+)", re.MULTILINE)
CATALOGUE_ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.MULTILINE)


# startapp --identifier: the Greek identifier fields (core/identifiers.py) a model may keep, with their names;
# typed, stored and wrong are the examples of the app's tests.
IDENTIFIERS = {
    "tax_number": {
        "identifies": True,  # a person (privacy/), or only describes one
        "field_class": "TaxNumberField",
        "verbose_name": "tax number (ΑΦΜ)",
        "greek": "ΑΦΜ",
        "typed": "EL 094 259 216",
        "stored": "094259216",
        "wrong": "094259217",
    },
    "social_security_number": {
        "identifies": True,  # a person (privacy/), or only describes one
        "field_class": "SocialSecurityNumberField",
        "verbose_name": "social security number (ΑΜΚΑ)",
        "greek": "ΑΜΚΑ",
        "typed": "010130-99997",
        "stored": "01013099997",
        "wrong": "01013099999",
    },
    "postal_code": {
        "identifies": False,  # a person (privacy/), or only describes one
        "field_class": "PostalCodeField",
        "verbose_name": "postal code",
        "greek": "ταχυδρομικός κώδικας",
        "typed": "104 31",
        "stored": "10431",
        "wrong": "94000",
    },
}


def is_keyword(name):
    """True for Python's keywords, "class", and for names whose class would be one: "none" (None)."""
    return keyword.iskeyword(name) or keyword.iskeyword(name.capitalize())


def names_the_template_imports(template=APP_TEMPLATE):
    """The names the app's generated modules import (CreateView, ...): a model may not take one of them."""
    found = set()
    for path in template.rglob("*.py-tpl"):
        # The app's own names (PermitForm, ...) are not imports of other code.
        code = re.sub(r"\{\{.*?\}\}\w*", "", path.read_text(encoding="utf-8"))
        for names, module in IMPORTED.findall(code):
            found.update(re.findall(r"\w+", names) if names else [module.split(".")[0]])
    return found


def describe_model(app_name, model_class, first):
    """The names startapp gives a model and its code: the first model of an app is named after the app."""
    singular_name = re.sub(r"(?<!^)(?=[A-Z])", " ", model_class).lower()
    plural_name = app_name.replace("_", " ") if first else plural(singular_name)
    return {
        "class_name": model_class,
        # Django's: the class name in lower case (permit_list.html, buildingpermit_list).
        "name": model_class.lower(),
        "singular_name": singular_name,
        "plural_name": plural_name,
        "related_name": plural_name.replace(" ", "_"),
        "path": "" if first else plural_name.replace(" ", "-") + "/",
        # Index names are unique in the database and at most 30 characters long.
        "index_prefix": f"{app_name[:10]}_{model_class.lower()[:10]}",
    }


def plural(words):
    if words.endswith("y") and words[-2:-1] not in set("aeiou"):
        return words[:-1] + "ies"
    return words + ("es" if words.endswith(("s", "x", "z", "ch", "sh")) else "s")


def singular(name):
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


def validate(name, model_classes, template=APP_TEMPLATE, companions=("Category",)):
    """Refuse, before anything is written, the names that would leave the project broken.

    ``companions`` are the suffixes of the models the template adds per model (PermitCategory).
    """
    if not APP_NAME.fullmatch(name or ""):
        suggestion = re.sub(r"[^a-z0-9]+", "_", anyascii(name or "").lower()).strip("_")
        example = suggestion if APP_NAME.fullmatch(suggestion) and suggestion != name else "permits"
        raise CommandError(
            f"An app name is a lowercase ASCII identifier with single underscores (e.g. {example!r}), not {name!r}."
        )
    if is_keyword(name):
        raise CommandError(f"{name!r} is a Python keyword: pick another app name.")
    if name in apps.app_configs:
        raise CommandError(f"{name!r} is the label of an installed Django app: pick another app name.")
    if (PACKAGE_DIR / name).exists() or (PACKAGE_DIR / f"{name}.py").exists():
        raise CommandError(f"The project already has a folder or module named {name!r}.")
    taken, models_so_far = names_the_template_imports(template), set()
    for model_class in model_classes:
        if not CLASS_NAME.fullmatch(model_class):
            raise CommandError(f"--model {model_class!r} is not an ASCII class name such as Permit.")
        if is_keyword(model_class):
            raise CommandError(f"The model name {model_class!r} is a Python keyword: pick another with --model.")
        if model_class in taken:
            raise CommandError(f"The app's code already uses the name {model_class!r}: pick another with --model.")
        # Django's names of models ignore case.
        names = {f"{model_class}{suffix}".lower() for suffix in ("", *companions)}
        if names & models_so_far:
            raise CommandError(f"--model {model_class!r} is given twice, or named like another model's category.")
        models_so_far |= names


def identifiers(kinds):
    """The fields that ``kinds`` (startapp's --identifier values) name, in their order; or a one-line refusal."""
    for kind in kinds:
        if kind not in IDENTIFIERS:
            raise CommandError(f"--identifier is one of {', '.join(IDENTIFIERS)}, not {kind!r}.")
        if kinds.count(kind) > 1:
            raise CommandError(f"--identifier {kind} is given twice.")
    return [{"name": kind, **IDENTIFIERS[kind]} for kind in kinds]


def create_app(name, options, complete=None, urls=True):
    """Renders ``options["template"]`` into the package as app ``name``, lets ``complete(app_dir)`` add what the
    command makes itself, formats the app, registers it and makes its first migration; or, on any failure,
    leaves the project as it was.

    ``options`` are Django startapp's (verbosity, extensions, files, template) and the names the template uses.
    """
    app_dir = PACKAGE_DIR / name
    registries = {path: path.read_bytes() for path in (SETTINGS_FILE, URLCONF_FILE)}
    app_dir.mkdir()
    try:
        DjangoStartAppCommand().handle(**{**options, "name": name, "directory": str(app_dir)})
        if complete:
            complete(app_dir)
        format_app(app_dir)
        register(name, urls)
        make_migrations(name)
    except BaseException:
        shutil.rmtree(app_dir)
        for path, content in registries.items():
            path.write_bytes(content)
        raise


def format_app(app_dir):
    """Sorts the imports and formats the new app as the project's ruff does, when it is installed."""
    if importlib.util.find_spec("ruff") is None:
        return
    for command in (["check", "--fix", "--select", "I"], ["format"]):
        arguments = [sys.executable, "-m", "ruff", *command, "--quiet", "--no-cache", str(app_dir)]
        subprocess.run(arguments, cwd=PACKAGE_DIR.parent, check=True, stdout=subprocess.DEVNULL)


def register(name, urls=True):
    """Adds the app at the end of PROJECT_APPS and of the apps' urlpatterns, next to no line of the template's."""
    package, url = PACKAGE_DIR.name, name.replace("_", "-")
    append_to_list(SETTINGS_FILE, "PROJECT_APPS = [", f'    "{package}.{name}",')
    if urls:
        append_to_list(URLCONF_FILE, "urlpatterns += [", f'    path("{url}/", include("{package}.{name}.urls")),')


def make_migrations(name):
    """In a new process: this one's app registry does not have the new app."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
    command = [sys.executable, str(PACKAGE_DIR.parent / "manage.py"), "makemigrations", name]
    if subprocess.run(command, env=environment, stdout=subprocess.DEVNULL).returncode:
        raise CommandError(f"makemigrations {name} failed (above): nothing changed.")


def append_to_list(path, opening_line, new_line):
    """Inserts ``new_line`` before the ``]`` closing the list that ``opening_line`` opens, keeping line endings."""
    text = path.read_bytes().decode()
    ending = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    stripped = [line.rstrip("\r\n") for line in lines]
    if opening_line not in stripped or "]" not in stripped[stripped.index(opening_line) :]:
        raise CommandError(f"{path.name} has no list opened by {opening_line!r} to add the app to: nothing changed.")
    closing = stripped.index("]", stripped.index(opening_line))
    lines.insert(closing, new_line + ending)
    path.write_bytes("".join(lines).encode())


def compile_catalogue(po_path):
    """Writes the .mo beside ``po_path`` (plain msgid/msgstr entries): Windows machines have no msgfmt."""
    text = po_path.read_text(encoding="utf-8")
    join = lambda lines: "".join(ast.literal_eval(line) for line in lines.splitlines())  # noqa: E731
    messages = {join(msgid).encode(): join(msgstr).encode() for msgid, msgstr in CATALOGUE_ENTRY.findall(text)}
    keys = sorted(messages)
    header_size, table_size = 7 * 4, len(keys) * 8
    originals, translations, data = [], [], b""
    data_start = header_size + 2 * table_size
    for table, strings in ((originals, keys), (translations, [messages[key] for key in keys])):
        for string in strings:
            table.append((len(string), data_start + len(data)))
            data += string + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, len(keys), header_size, header_size + table_size, 0, data_start)
    tables = b"".join(struct.pack("<2I", *entry) for entry in [*originals, *translations])
    po_path.with_suffix(".mo").write_bytes(header + tables + data)


def keep_catalogue(locale_dir, language):
    """The app's own catalogue in the project's language, compiled; none in an English project."""
    for folder in list(locale_dir.iterdir()):
        if folder.name != language:
            shutil.rmtree(folder)
    if language is None:
        locale_dir.rmdir()
        return
    catalogue = locale_dir / language / "LC_MESSAGES" / "django.po"
    # The loop tags of the template sit in comment lines, so that it is a catalogue itself: drop what they leave.
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(re.sub(r"^#\n", "", text, flags=re.MULTILINE), encoding="utf-8")
    compile_catalogue(catalogue)


def copy_html_per_model(app_dir, name, models, with_identifiers=False):
    """Each model gets its own copy of the pages, with its words in place of the template's; the lines that
    show Greek identifiers (identifier_rows) only when the app has some."""
    for path in list(app_dir.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        if not with_identifiers:
            html = "".join(line for line in html.splitlines(keepends=True) if "identifier_rows" not in line)
        for model in models:
            words = {key: model[key] for key in ("singular_name", "plural_name")}
            words.update(app_name=name, model_name=model["name"])
            pattern = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(words) + r")(?![A-Za-z0-9])")
            copy = path.with_name(path.name.replace("model_name", model["name"]))
            copy.write_text(pattern.sub(lambda match, words=words: words[match[1]], html), encoding="utf-8")
        path.unlink()
