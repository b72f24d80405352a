"""manage.py access_startapp NAME FOLDER: an app with a model per table of an Access export, and its pages.

Each table gets what startapp gives a model: a list that filters, sorts and downloads, a detail page, create,
edit and delete pages (not for a table description.json marks "read_only"), its history, a place in the
menu and tests of them all. A lookup table (an id and a name others refer to) is a LookupModel, edited in the
admin.

Made by the project's scaffold (devtools/scaffold.py), as startapp's apps are: the same checks of the name,
PROJECT_APPS, ruff, the first migration, nothing left behind on failure; from access_import/app_template/.
The app keeps the description it was made from as access.json: access_import reads the mapping of Access's
names to the fields there.
"""

import json
import re
import shutil
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ....devtools import scaffold
from ...description import IDENTIFIER_FIELDS, literal

TEMPLATE = Path(__file__).resolve().parents[2] / "app_template"
# The modules of an app's pages, left out of an app of lookup tables only.
PAGE_MODULES = ["views.py", "urls.py", "tables.py", "filters.py", "forms.py"]
NUMBERED = 'f"{self._meta.verbose_name} {self.pk}"'
# A name PostgreSQL keeps as it is (63 bytes at most), unquoted.
DB_TABLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def read_description(folder):
    path = Path(folder) / "description.json"
    if not path.is_file():
        raise CommandError(f"{path} does not exist: make it with python manage.py access_export FILE {folder}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise CommandError(f"{path} is not valid JSON: {error}") from error


class Command(BaseCommand):
    help = (
        "Creates an app with a model and its pages per table of an Access export (access_export), its tests and "
        "its migration."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the new app's name, e.g. registry")
        parser.add_argument("folder", help="the folder access_export wrote, with description.json")

    def handle(self, **options):
        name, description = options["name"], read_description(options["folder"])
        tables = description["tables"]
        scaffold.validate(name, [table["class_name"] for table in tables], template=TEMPLATE, companions=())
        refuse_shared_tables(tables)
        for table in tables:
            for column in [column for column in table["columns"] if column.get("declaration")]:
                column["declaration"] = column["declaration"].replace("<upload_to>", upload_to(name, table))
        models = [model_context(name, table, tables) for table in tables]
        bases = sorted({table["base"] for table in tables})
        with_pages = [model for model in models if model["pages"]]

        def listed(suffix, models=with_pages):
            return ", ".join(model["class_name"] + suffix for model in models)

        language = settings.LANGUAGE_CODE.split("-")[0].lower()
        options.update(
            template=str(TEMPLATE),
            extensions=["py"],
            files=[],
            package=scaffold.PACKAGE_DIR.name,
            tables=models,
            bases=", ".join(bases),
            uses_models=any(model["unique_together"] or model["declared"] for model in models),
            uses_decimal=any("Decimal(" in declaration for declaration in declarations(tables)),
            uses_files=any(model["file_field"] for model in models),
            uses_personal_data=any(model["personal_data"] for model in models),
            identifier_classes=", ".join(
                sorted({name for name in IDENTIFIER_FIELDS for line in declarations(tables) if line.startswith(name)})
            ),
            has_pages=bool(with_pages),
            search_index=any(model["search_field"] for model in with_pages),
            model_classes=listed("", models),
            page_classes=listed(""),
            filter_classes=listed("Filter"),
            form_classes=listed("Form", [model for model in with_pages if not model["read_only"]]),
            table_classes=listed("Table"),
            source_name=plain(description["source"]["file"]),
            verbose_name_literal=literal(Path(description["source"]["file"]).stem),
        )

        def complete(app_dir):
            write_description(app_dir, description)
            translated = language != "en" and (TEMPLATE / "locale" / language).is_dir()
            scaffold.keep_catalogue(app_dir / "locale", language if translated else None)
            if not options["form_classes"]:  # every table read-only
                (app_dir / "forms.py").unlink()
            if not with_pages:  # lookup tables only: the admin edits them
                for page_module in PAGE_MODULES:
                    (app_dir / page_module).unlink(missing_ok=True)
                shutil.rmtree(app_dir / "templates")
                shutil.rmtree(app_dir / "tests")

        scaffold.create_app(name, options, complete=complete, urls=bool(with_pages))
        self.stdout.write(
            f"Created {options['package']}/{name}/ ({len(tables)} models, {len(with_pages)} with pages in the menu) "
            f"with its first migration, and added it to PROJECT_APPS{' and urls.py' if with_pages else ''}.\n"
            f"Next: python manage.py migrate && python manage.py access_import {name} {options['folder']}"
        )


def refuse_shared_tables(tables):
    """A db_table that description.json names must be a plain name no other model or table has: every clash
    in one message. (None, the default, is the app's own <app>_<model>, which nothing else has.)"""
    taken = {model._meta.db_table: model._meta.label for model in apps.get_models()}
    clashes = []
    for table in tables:
        db_table = table.get("db_table")
        if db_table is None:
            continue
        if not isinstance(db_table, str) or not DB_TABLE.fullmatch(db_table):
            raise CommandError(
                f"The table {table['name']}: db_table {db_table!r} is not a lowercase name of letters, digits and "
                "_ (at most 63): change it in description.json (null: the app's own)."
            )
        if db_table in taken:
            clashes.append(f"{table['name']} as {db_table}, which {taken[db_table]} has")
        taken[db_table] = f"the table {table['name']}"
    if clashes:
        raise CommandError(
            f"These tables would share a database table: {'; '.join(clashes)}. Change their db_table in "
            "description.json (null: the app's own)."
        )


def upload_to(app_name, table):
    """Where the files of a table (an OLE or attachment column's) go: protected, under the app and model."""
    return f'DatedUploadTo("{app_name}/{table["class_name"].lower()}", protected=True, max_length=255)'


def declarations(tables):
    """The source of every field the tables' models declare."""
    return [column["declaration"] for table in tables for column in table["columns"] if column.get("declaration")]


def write_description(app_dir, description):
    """The app keeps what it was made from: access_import maps Access's names to fields with it."""
    text = json.dumps(description, ensure_ascii=False, indent=2)
    (app_dir / "access.json").write_text(text + "\n", encoding="utf-8")


IDENTIFYING = ("TaxNumberField", "SocialSecurityNumberField")


def model_context(app_name, table, tables):
    """What models.py-tpl and admin.py-tpl need of a table, as Python source text."""
    db_table = table["db_table"] or f"{app_name}_{table['class_name'].lower()}"
    by_name = {other["name"]: other for other in tables}
    fields = [column for column in table["columns"] if column["field"]]
    declared = [column for column in fields if column.get("declaration")]
    texts = [column["field"] for column in declared if column["declaration"].startswith("models.CharField")]
    files = [column["field"] for column in declared if column["declaration"].startswith("ProtectedFileField")]
    relations = [column for column in declared if column.get("references")]
    searchable = {other["name"] for other in tables if other["base"] == "LookupModel" or searchable_fields(other)}
    lookup = table["base"] == "LookupModel"
    key = next((column["name"] for column in fields if column["field"] == "id"), None)
    docstring = f"The Access table “{table['name']}”" + (f"; its key “{key}” is the id." if key else ".")
    if table.get("files_of"):
        docstring = f"The files of the Access column “{table['files_of']}”, a row each."
    lookups = [column["field"] for column in relations if by_name[column["references"]]["base"] == "LookupModel"]
    unique = [column["field"] for column in declared if "unique=True" in column["declaration"]]
    # The list: the key, then the first four fields short enough for a column.
    shown = [column["field"] for column in declared if not column["declaration"].startswith("models.TextField")][:4]
    indexes = table.get("indexes", [])
    sortable = {"id", *unique, *(index[0] for index in indexes if len(index) == 1)}
    list_columns = [{"field": field, "orderable": field in sortable} for field in ["id", *shown]]
    index_prefix = scaffold.describe_model(app_name, table["class_name"], first=False)["index_prefix"]
    relation_fields = [column["field"] for column in relations]
    # Greek identifiers: a tax or social security number says whose a row is; a postal code describes them.
    identifying = [column["field"] for column in declared if column["declaration"].startswith(IDENTIFYING)]
    describing = [column["field"] for column in declared if column["declaration"].startswith("PostalCodeField")]
    return {
        **table,
        "personal_data": (
            f"PersonalData(identify={json.dumps(identifying)}, describe={json.dumps(describing)}, history_years=10)"
            if identifying
            else None
        ),
        "pages": not lookup,
        "read_only": bool(table.get("read_only")) or not declared,
        # The id's column is headed by the Access key it kept, else by a sign that needs no translation.
        "key_label": literal(key or "№"),
        "url_name": table["class_name"].lower(),
        "path": table["class_name"].lower() + "/",
        "index_prefix": index_prefix,
        # Access's indexes that allow duplicates (description.json's "indexes"): the lists sort by them.
        "model_indexes": [
            {"fields": json.dumps(fields), "name": f"{index_prefix}_{number}"}
            for number, fields in enumerate(indexes, start=1)
        ],
        "search_field": texts[0] if texts else None,
        # An OLE or attachment column's table: a row per file, which a view of its own hands out.
        "file_field": files[0] if files else None,
        "list_columns": list_columns,
        "list_fields": python_list([column["field"] for column in list_columns]),
        "list_related": python_list([field for field in relation_fields if field in shown]),
        "relations": python_list(relation_fields),
        "filter_fields": json.dumps(lookups),
        "form_fields": json.dumps([column["field"] for column in declared]),
        "typed_relations": [field for field in relation_fields if field not in lookups],
        "declared": bool(declared),
        "docstring": plain(docstring),
        "verbose_name_literal": literal(table["verbose_name"]),
        "unique_together_literal": json.dumps(table.get("unique_together") or []),
        "unique_together": bool(table.get("unique_together")),
        "constraint_name": f"{db_table}_key",
        # A name that the pages show, never the bare key (a number any page may show elsewhere).
        "str_expression": None if lookup else name_expression(texts, files),
        "list_display": python_list(["name"] if lookup else [column["field"] for column in fields][:6] or ["__str__"]),
        "list_select_related": python_list([column["field"] for column in relations if column in fields[:6]]),
        "search_fields": python_list(["name"] if lookup else searchable_fields(table)),
        "autocomplete_fields": python_list([c["field"] for c in relations if c["references"] in searchable]),
        "raw_id_fields": python_list([c["field"] for c in relations if c["references"] not in searchable]),
    }


def name_expression(texts, files):
    """A row's name, as Python source: its first text, its file's name, else its table's and its number."""
    if texts:
        return f"self.{texts[0]} or {NUMBERED}"
    if files:
        return f'self.{files[0]}.name.rsplit("/", 1)[-1] or {NUMBERED}'
    return NUMBERED


def python_list(names):
    """A list of names as Python source, or "" for none: the templates leave the option out then."""
    return json.dumps(names) if names else ""


def plain(text):
    """Text that may stand in a docstring."""
    return text.replace("\\", "/").replace('"', "'")


def searchable_fields(table):
    """The admin searches the first three texts of a table."""
    declared = [column for column in table["columns"] if column.get("declaration")]
    return [column["field"] for column in declared if column["declaration"].startswith("models.CharField")][:3]
