"""manage.py startapp NAME: a new app that follows the project's guidelines, inside the project package.

It replaces Django's startapp, with the same options. By default the app goes into the project
package, is made from the project's ``app_template/``, is added to PROJECT_APPS and to the root
URLconf, and gets its first migration; ``--template`` or a directory argument give you Django's
behaviour for that part.

The template's ``.py-tpl`` files (and fixtures/example_data.json, locale/*/django.po) are rendered
by Django's template language, as in any app template, with these names: app_name,
camel_case_app_name, model_class, model_name, singular_name, plural_name, verbose_name,
verbose_name_plural, example_category and package. The catalogue of the project's language is kept
and compiled (no msgfmt needed); an English project's app has none. Its HTML files are Django templates
themselves, so they are copied as they are, but for the words app_name, model_name,
singular_name and Plural_name, replaced in their text and file names.
"""

import ast
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

PACKAGE_DIR = Path(__file__).resolve().parents[3]
APP_TEMPLATE = PACKAGE_DIR.parent / "app_template"
SETTINGS_FILE = PACKAGE_DIR / "settings" / "base.py"
URLCONF_FILE = PACKAGE_DIR / "urls.py"
# Words separated by single underscores: Django refuses "x_" and "a__b" as names of related fields.
APP_NAME = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")
IMPORTED = re.compile(r"^from \S+ import (.+)$|^import (\S+)", re.MULTILINE)
# The example lookup row of a new app, in the languages app_template/locale/ translates it into.
EXAMPLE_CATEGORY = {"en": "General", "el": "Γενικά"}
CATALOGUE_ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.MULTILINE)


def is_keyword(name):
    """True for Python's keywords, "class", and for names whose class would be one: "none" (None)."""
    return keyword.iskeyword(name) or keyword.iskeyword(name.capitalize())


def names_the_template_imports():
    """The names the app's generated modules import (CreateView, ...): a model may not take one of them."""
    found = set()
    for path in APP_TEMPLATE.rglob("*.py-tpl"):
        # The app's own names (PermitForm, ...) are not imports of other code.
        code = re.sub(r"\{\{.*?\}\}\w*", "", path.read_text(encoding="utf-8"))
        for names, module in IMPORTED.findall(code):
            found.update(re.findall(r"\w+", names) if names else [module.split(".")[0]])
    return found


def singular(name):
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


class Command(DjangoStartAppCommand):
    help = (
        "Creates an app in the project package from app_template/: a model with audit fields, its views "
        "behind the permission mixin, templates and tests; adds it to PROJECT_APPS and the URLconf, and makes its "
        "first migration."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--model", help="the model's class name (default: the app name in the singular, permits → Permit)"
        )
        parser.add_argument("--verbose-name", help="the model's name as users read it, in the project's language")
        parser.add_argument("--verbose-name-plural", help="the same, in the plural")

    def handle(self, **options):
        name = options["name"]
        if options["directory"] is not None or options["template"] is not None:
            return super().handle(**options)
        model_class = options["model"] or "".join(part.title() for part in singular(name or "").split("_"))
        self.validate(name, model_class)
        language = settings.LANGUAGE_CODE.split("-")[0].lower()
        translated = language != "en" and (APP_TEMPLATE / "locale" / language).is_dir()
        # Django's names: model_name is the class name in lower case (permit_list.html, buildingpermit_list).
        model_name = model_class.lower()
        words = {
            "app_name": name,
            "model_name": model_name,
            "singular_name": re.sub(r"(?<!^)(?=[A-Z])", " ", model_class).lower(),
            "Plural_name": name.replace("_", " ").capitalize(),
        }
        if not translated:
            words["singular_name"] = options["verbose_name"] or words["singular_name"]
            words["Plural_name"] = (options["verbose_name_plural"] or words["Plural_name"]).capitalize()
        verbose_name, verbose_name_plural = self.names_in_the_project_language(options, translated, words)
        options.update(
            template=str(APP_TEMPLATE),
            directory=str(PACKAGE_DIR / name),
            model_class=model_class,
            model_name=model_name,
            singular_name=words["singular_name"],
            plural_name=words["Plural_name"].lower(),
            verbose_name=po_string(verbose_name),
            verbose_name_plural=po_string(verbose_name_plural),
            example_category=EXAMPLE_CATEGORY.get(language, EXAMPLE_CATEGORY["en"]),
            package=PACKAGE_DIR.name,
            files=[*options["files"], "example_data.json", "django.po"],
        )
        registries = {path: path.read_bytes() for path in (SETTINGS_FILE, URLCONF_FILE)}
        (PACKAGE_DIR / name).mkdir()
        try:
            super().handle(**options)
            self.keep_catalogue(PACKAGE_DIR / name / "locale", language if translated else None)
            self.replace_words_in_html(PACKAGE_DIR / name, words)
            self.register(name)
            self.make_migrations(name)
        except BaseException:
            # Leave the project as it was: no half-made app, no registry naming an app that is not there.
            shutil.rmtree(PACKAGE_DIR / name)
            for path, content in registries.items():
                path.write_bytes(content)
            raise
        self.stdout.write(
            f"Created {PACKAGE_DIR.name}/{name}/ with its first migration, and added it to PROJECT_APPS and urls.py.\n"
            "Next: python manage.py migrate && python manage.py dev_setup"
        )

    def names_in_the_project_language(self, options, translated, words):
        """The model's names for the app's catalogue: given, asked at a terminal, or else a one-line refusal."""
        if not translated:
            return words["singular_name"], words["Plural_name"].lower()
        names = [options["verbose_name"], options["verbose_name_plural"]]
        questions = [f"The model's name in {settings.LANGUAGE_CODE}, as users read it ({words['singular_name']}): "]
        questions.append("The same in the plural: ")
        for index, question in enumerate(questions):
            if not names[index] and sys.stdin.isatty():
                names[index] = input(question).strip()
        if not all(names):
            raise CommandError(
                f"Name the model in the project's language ({settings.LANGUAGE_CODE}): "
                "--verbose-name NAME --verbose-name-plural NAMES."
            )
        if any(character in name for name in names for character in "\r\n"):
            raise CommandError("--verbose-name and --verbose-name-plural are one line each.")
        return names

    def keep_catalogue(self, locale_dir, language):
        """The app's own catalogue in the project's language, compiled; none in an English project."""
        for folder in list(locale_dir.iterdir()):
            if folder.name != language:
                shutil.rmtree(folder)
        if language is None:
            locale_dir.rmdir()
            return
        compile_catalogue(locale_dir / language / "LC_MESSAGES" / "django.po")

    def validate(self, name, model_class):
        """Refuse, before anything is written, the names that would leave the project broken."""
        if not APP_NAME.fullmatch(name or ""):
            suggestion = re.sub(r"[^a-z0-9]+", "_", anyascii(name or "").lower()).strip("_")
            example = suggestion if APP_NAME.fullmatch(suggestion) and suggestion != name else "permits"
            raise CommandError(
                f"An app name is a lowercase ASCII identifier with single underscores (e.g. {example!r}), "
                f"not {name!r}."
            )
        if is_keyword(name):
            raise CommandError(f"{name!r} is a Python keyword: pick another app name.")
        if name in apps.app_configs:
            raise CommandError(f"{name!r} is the label of an installed Django app: pick another app name.")
        if (PACKAGE_DIR / name).exists() or (PACKAGE_DIR / f"{name}.py").exists():
            raise CommandError(f"The project already has a folder or module named {name!r}.")
        if not CLASS_NAME.fullmatch(model_class):
            raise CommandError(f"--model {model_class!r} is not an ASCII class name such as Permit.")
        if is_keyword(model_class):
            raise CommandError(f"The model name {model_class!r} is a Python keyword: pick another with --model.")
        if model_class in names_the_template_imports():
            raise CommandError(f"The app's code already uses the name {model_class!r}: pick another with --model.")

    def replace_words_in_html(self, app_dir, words):
        pattern = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(words) + r")(?![A-Za-z0-9])")
        for path in list(app_dir.rglob("*.html")):
            path.write_bytes(pattern.sub(lambda match: words[match[1]], path.read_bytes().decode()).encode())
            path.rename(path.with_name(path.name.replace("model_name", words["model_name"])))

    def register(self, name):
        """Adds the app at the end of PROJECT_APPS and of the apps' urlpatterns, next to no line of the template's."""
        package, url = PACKAGE_DIR.name, name.replace("_", "-")
        append_to_list(SETTINGS_FILE, "PROJECT_APPS = [", f'    "{package}.{name}",')
        append_to_list(URLCONF_FILE, "urlpatterns += [", f'    path("{url}/", include("{package}.{name}.urls")),')

    def make_migrations(self, name):
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


def po_string(text):
    """``text`` as the inside of a quoted catalogue string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


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
