"""manage.py startapp NAME: a new app that follows the project's guidelines, inside the project package.

It replaces Django's startapp, with the same options. By default the app goes into the project
package, is made from the project's ``app_template/``, is added to PROJECT_APPS and to the root
URLconf, and gets its first migration; ``--template`` or a directory argument give you Django's
behaviour for that part.

The template's ``.py-tpl`` files (and fixtures/example_data.json, locale/*/django.po) are rendered
by Django's template language, as in any app template, with these names: app_name,
camel_case_app_name, package, example_category, plural_name (the app's: its first model's); the
comma-separated model_classes, category_classes, filter_classes, form_classes, table_classes and
identifier_classes; identifiers, one entry per ``--identifier`` (scaffold.IDENTIFIERS), and
the names of those that identify a person and of those that describe one (identifying, describing);
and models, one entry per ``--model`` with its class_name, name, singular_name, plural_name,
verbose_name, verbose_name_plural, related_name, path (its URL folder: the first model's pages are
at the app's root) and index_prefix. Ruff then sorts the imports and formats the app's Python, so
the templates' loops need not mind blank lines. The catalogue of the project's language is kept
and compiled (no msgfmt needed); an English project's app has none. Its HTML files are Django
templates themselves, so they are copied as they are, once per model, but for the words app_name,
model_name, singular_name and plural_name, replaced in their text and file names.

Validation, rendering and registration are the scaffold's (devtools/scaffold.py), shared with access_startapp.
"""

import sys

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.startapp import Command as DjangoStartAppCommand

from ... import scaffold

# The example lookup row of a new app, in the languages app_template/locale/ translates it into.
EXAMPLE_CATEGORY = {"en": "General", "el": "Γενικά"}


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
        parser.add_argument(
            "--identifier",
            action="append",
            default=[],
            metavar="KIND",
            help="a Greek identifier each model keeps, checked and stored compact: tax_number (ΑΦΜ), "
            "social_security_number (ΑΜΚΑ) or postal_code; repeat it for several",
        )

    def handle(self, **options):
        name = options["name"]
        if options["directory"] is not None or options["template"] is not None:
            return super().handle(**options)
        model_classes = options["model"] or [
            "".join(part.title() for part in scaffold.singular(name or "").split("_"))
        ]
        scaffold.validate(name, model_classes)
        identifiers = scaffold.identifiers(options["identifier"])
        language = settings.LANGUAGE_CODE.split("-")[0].lower()
        translated = language != "en" and (scaffold.APP_TEMPLATE / "locale" / language).is_dir()
        models = [
            scaffold.describe_model(name, model_class, first=index == 0)
            for index, model_class in enumerate(model_classes)
        ]
        self.name_in_the_project_language(options, translated, models)

        def listed(suffix):
            return ", ".join(model["class_name"] + suffix for model in models)

        options.update(
            template=str(scaffold.APP_TEMPLATE),
            directory=str(scaffold.PACKAGE_DIR / name),
            models=models,
            model_classes=listed(""),
            category_classes=listed("Category"),
            filter_classes=listed("Filter"),
            form_classes=listed("Form"),
            table_classes=listed("Table"),
            plural_name=models[0]["plural_name"],
            identifiers=identifiers,
            identifier_classes=", ".join(identifier["field_class"] for identifier in identifiers),
            identifying=[identifier["name"] for identifier in identifiers if identifier["identifies"]],
            describing=[identifier["name"] for identifier in identifiers if not identifier["identifies"]],
            example_category=EXAMPLE_CATEGORY.get(language, EXAMPLE_CATEGORY["en"]),
            package=scaffold.PACKAGE_DIR.name,
            files=[*options["files"], "example_data.json", "django.po"],
            catalogue_language=language if translated else None,
        )
        scaffold.create_app(name, options, complete=lambda app_dir: self.complete(app_dir, options))
        self.stdout.write(
            f"Created {options['package']}/{name}/ with its first migration, and added it to PROJECT_APPS and "
            "urls.py.\n"
            "Next: python manage.py migrate && python manage.py dev_setup"
        )

    def complete(self, app_dir, options):
        """What the rendered app still needs: its catalogue, and a copy of the pages per model."""
        scaffold.keep_catalogue(app_dir / "locale", options["catalogue_language"])
        scaffold.copy_html_per_model(app_dir, options["name"], options["models"], bool(options["identifiers"]))

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
