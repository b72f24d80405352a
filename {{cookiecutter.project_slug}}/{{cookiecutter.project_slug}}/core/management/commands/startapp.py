"""manage.py startapp NAME: a new app that follows the project's guidelines, inside the project package.

It replaces Django's startapp, with the same options. By default the app goes into the project
package, is made from the project's ``app_template/``, is added to PROJECT_APPS and to the root
URLconf, and gets its first migration; ``--template`` or a directory argument give you Django's
behaviour for that part.

The template's ``.py-tpl`` files (and fixtures/example_data.json, locale/*/django.po) are rendered
by Django's template language, as in any app template, with these names: app_name,
camel_case_app_name, package, example_category, plural_name (the app's: its first model's); the
comma-separated model_classes, category_classes, filter_classes, form_classes and table_classes;
and models, one entry per ``--model`` with its class_name, name, singular_name, plural_name,
verbose_name, verbose_name_plural, related_name, path (its URL folder: the first model's pages are
at the app's root) and index_prefix. Ruff then sorts the imports and formats the app's Python, so
the templates' loops need not mind blank lines. The catalogue of the project's language is kept
and compiled (no msgfmt needed); an English project's app has none. Its HTML files are Django
templates themselves, so they are copied as they are, once per model, but for the words app_name,
model_name, singular_name and plural_name, replaced in their text and file names.
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


class Command(DjangoStartAppCommand):
    help = (
        "Creates an app in the project package from app_template/: a model with audit fields, its views "
        "behind the permission mixin, templates and tests; adds it to PROJECT_APPS and the URLconf, and makes its "
        "first migration."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--model",
            action="append",
            help="a model's class name; repeat it for several models (default: the app name in the singular, "
            "permits → Permit)",
        )
        parser.add_argument(
            "--verbose-name",
            action="append",
            help="the model's name as users read it, in the project's language; one per --model, in their order",
        )
        parser.add_argument("--verbose-name-plural", action="append", help="the same, in the plural")

    def handle(self, **options):
        name = options["name"]
        if options["directory"] is not None or options["template"] is not None:
            return super().handle(**options)
        model_classes = options["model"] or ["".join(part.title() for part in singular(name or "").split("_"))]
        self.validate(name, model_classes)
        language = settings.LANGUAGE_CODE.split("-")[0].lower()
        translated = language != "en" and (APP_TEMPLATE / "locale" / language).is_dir()
        models = [
            describe_model(name, model_class, first=index == 0) for index, model_class in enumerate(model_classes)
        ]
        self.name_in_the_project_language(options, translated, models)

        def listed(suffix):
            return ", ".join(model["class_name"] + suffix for model in models)

        options.update(
            template=str(APP_TEMPLATE),
            directory=str(PACKAGE_DIR / name),
            models=models,
            model_classes=listed(""),
            category_classes=listed("Category"),
            filter_classes=listed("Filter"),
            form_classes=listed("Form"),
            table_classes=listed("Table"),
            plural_name=models[0]["plural_name"],
            example_category=EXAMPLE_CATEGORY.get(language, EXAMPLE_CATEGORY["en"]),
            package=PACKAGE_DIR.name,
            files=[*options["files"], "example_data.json", "django.po"],
            catalogue_language=language if translated else None,
        )
        self.create_app(name, options)
        self.stdout.write(
            f"Created {PACKAGE_DIR.name}/{name}/ with its first migration, and added it to PROJECT_APPS and urls.py.\n"
            "Next: python manage.py migrate && python manage.py dev_setup"
        )

    def create_app(self, name, options, urls=True):
        """Renders ``options["template"]`` into the package, registers the app and makes its first migration.

        On any failure the project is left as it was: no half-made app, no registry naming an app that is not
        there.
        """
        app_dir = PACKAGE_DIR / name
        registries = {path: path.read_bytes() for path in (SETTINGS_FILE, URLCONF_FILE)}
        app_dir.mkdir()
        try:
            super().handle(**options)
            self.complete(app_dir, options)
            self.format(app_dir)
            self.register(name, urls)
            self.make_migrations(name)
        except BaseException:
            shutil.rmtree(app_dir)
            for path, content in registries.items():
                path.write_bytes(content)
            raise

    def complete(self, app_dir, options):
        """What the rendered app still needs: its catalogue, and a copy of the pages per model."""
        self.keep_catalogue(app_dir / "locale", options["catalogue_language"])
        self.copy_html_per_model(app_dir, options["name"], options["models"])

    def name_in_the_project_language(self, options, translated, models):
        """Sets each model's names as users read them: given, asked at a terminal, or else a one-line refusal.

        An English project's are its singular_name and plural_name, which its code and pages use; a translated
        project's are the translations of those in the app's catalogue.
        """
        given = [options["verbose_name"] or [], options["verbose_name_plural"] or []]
        if any(len(names) > len(models) for names in given):
            raise CommandError("Give at most one --verbose-name and one --verbose-name-plural per --model.")
        for index, model in enumerate(models):
            singular_name, plural_name = (names[index] if index < len(names) else "" for names in given)
            if translated and sys.stdin.isatty():
                question = (
                    f"{model['class_name']} in {settings.LANGUAGE_CODE}, as users read it ({model['singular_name']}): "
                )
                singular_name = singular_name or input(question).strip()
                plural_name = plural_name or input("The same in the plural: ").strip()
            if not translated:
                singular_name = singular_name or model["singular_name"]
                plural_name = (plural_name or model["plural_name"]).lower()
            if not (singular_name and plural_name):
                raise CommandError(
                    f"Name each model in the project's language ({settings.LANGUAGE_CODE}): "
                    "--verbose-name NAME --verbose-name-plural NAMES, once per --model."
                )
            if any(character in singular_name + plural_name for character in '\r\n"\\'):
                raise CommandError('--verbose-name and --verbose-name-plural are one line each, without " or \\.')
            model.update(verbose_name=singular_name, verbose_name_plural=plural_name)
            if not translated:
                model.update(singular_name=singular_name, plural_name=plural_name)

    def keep_catalogue(self, locale_dir, language):
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

    def validate(self, name, model_classes, template=APP_TEMPLATE, companions=("Category",)):
        """Refuse, before anything is written, the names that would leave the project broken.

        ``companions`` are the suffixes of the models the template adds per model (PermitCategory).
        """
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

    def copy_html_per_model(self, app_dir, name, models):
        """Each model gets its own copy of the pages, with its words in place of the template's."""
        for path in list(app_dir.rglob("*.html")):
            html = path.read_text(encoding="utf-8")
            for model in models:
                words = {key: model[key] for key in ("singular_name", "plural_name")}
                words.update(app_name=name, model_name=model["name"])
                pattern = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(words) + r")(?![A-Za-z0-9])")
                copy = path.with_name(path.name.replace("model_name", model["name"]))
                copy.write_text(pattern.sub(lambda match, words=words: words[match[1]], html), encoding="utf-8")
            path.unlink()

    def format(self, app_dir):
        """Sorts the imports and formats the new app as the project's ruff does, when it is installed."""
        if importlib.util.find_spec("ruff") is None:
            return
        for command in (["check", "--fix", "--select", "I"], ["format"]):
            arguments = [sys.executable, "-m", "ruff", *command, "--quiet", "--no-cache", str(app_dir)]
            subprocess.run(arguments, cwd=PACKAGE_DIR.parent, check=True, stdout=subprocess.DEVNULL)

    def register(self, name, urls=True):
        """Adds the app at the end of PROJECT_APPS and of the apps' urlpatterns, next to no line of the template's."""
        package, url = PACKAGE_DIR.name, name.replace("_", "-")
        append_to_list(SETTINGS_FILE, "PROJECT_APPS = [", f'    "{package}.{name}",')
        if urls:
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
