"""manage.py startapp NAME: a new app that follows the project's guidelines, inside the project package.

It replaces Django's startapp, with the same options. By default the app goes into the project
package, is made from the project's ``app_template/``, is added to PROJECT_APPS and to the root
URLconf, and gets its first migration; ``--template`` or a directory argument give you Django's
behaviour for that part.

The template's ``.py-tpl`` files (and fixtures/example_data.json) are rendered by Django's template
language, as in any app template, with these names: app_name, camel_case_app_name, model_class,
model_name, singular_name, plural_name and package. Its HTML files are Django templates
themselves, so they are copied as they are, but for the words app_name, model_name,
singular_name and Plural_name, replaced in their text and file names.
"""

import keyword
import os
import re
import shutil
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

    def handle(self, **options):
        name = options["name"]
        if options["directory"] is not None or options["template"] is not None:
            return super().handle(**options)
        model_class = options["model"] or "".join(part.title() for part in singular(name or "").split("_"))
        self.validate(name, model_class)
        # Django's names: model_name is the class name in lower case (permit_list.html, buildingpermit_list).
        model_name = model_class.lower()
        words = {
            "app_name": name,
            "model_name": model_name,
            "singular_name": re.sub(r"(?<!^)(?=[A-Z])", " ", model_class).lower(),
            "Plural_name": name.replace("_", " ").capitalize(),
        }
        options.update(
            template=str(APP_TEMPLATE),
            directory=str(PACKAGE_DIR / name),
            model_class=model_class,
            model_name=model_name,
            singular_name=words["singular_name"],
            plural_name=words["Plural_name"].lower(),
            package=PACKAGE_DIR.name,
            files=[*options["files"], "example_data.json"],
        )
        registries = {path: path.read_bytes() for path in (SETTINGS_FILE, URLCONF_FILE)}
        (PACKAGE_DIR / name).mkdir()
        try:
            super().handle(**options)
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
