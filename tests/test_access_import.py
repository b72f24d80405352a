"""Option use_access_import: each sample Access file (tests/data/access, with their licences) becomes an app
that keeps the guidelines and holds the rows mdb-export prints, through the README's three commands."""

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import REPO

from tools import postgres

SAMPLES = REPO / "tests" / "data" / "access"
# Sample file -> (app name, what access_export needs for it).
FILES = {
    "indexTestV2000.mdb": ("related", []),
    "indexTestV2010.accdb": ("related_ace", []),
    "testV1997.mdb": ("access97", []),
    "oldDatesV2007.accdb": ("old_dates", ["--drop-unreadable-dates"]),
    "complexDataTestV2010.accdb": ("complex", []),
    "merchant_taylors.mdb": ("merchants", ["--drop-unreadable-dates"]),
}
# Each table's rows as the app's models hold them, by Access's column names, in Access's key order.
DUMP = """
import datetime, json, pathlib
from django.apps import apps
from django.utils import timezone
config = apps.get_app_config({app!r})
description = json.loads(pathlib.Path(config.path, "access.json").read_text(encoding="utf-8"))

def text(value):
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).replace(tzinfo=None)
    return str(value)

dump = {{}}
for table in description["tables"]:
    model = config.get_model(table["class_name"])
    mapped = [column for column in table["columns"] if column["field"]]
    fields = [(column["name"], model._meta.get_field(column["field"])) for column in mapped]
    rows = model.objects.order_by("pk")
    dump[table["name"]] = [{{name: text(getattr(row, field.attname)) for name, field in fields}} for row in rows]
    audited = any(field.name == "modified_on" for field in model._meta.fields)
    dump[table["name"] + " changed on"] = [text(row.modified_on) for row in rows] if audited else []
print(json.dumps(dump))
"""
SUPERUSER = """
import django
django.setup()
from django.contrib.auth import get_user_model
get_user_model().objects.create_superuser("root", password="a-long-superuser-password")
"""
# Each page of each table the app shows (its list, its first row's pages, the form for a new one), as a
# superuser sees them.
APP_PAGES = """
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import NoReverseMatch, reverse
client = Client(HTTP_HOST="localhost")
client.force_login(get_user_model().objects.filter(is_superuser=True).first())
for model in apps.get_app_config({app!r}).get_models():
    prefix = f"{app}:{{model._meta.model_name}}_"
    row = model.objects.order_by("pk").first()
    pages = []
    row_pages = [(name, [row.pk]) for name in ("detail", "history", "update", "delete")] if row else []
    for action, arguments in [("list", []), ("create", []), *row_pages]:
        try:
            pages.append(reverse(prefix + action, args=arguments))
        except NoReverseMatch:
            pass  # a lookup table's (the admin's), or an edit of a read-only table
    for page in pages:
        print(page, client.get(page).status_code)
"""
# Every model's admin list and its first row's page, as a superuser sees them.
ADMIN_PAGES = """
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
client = Client(HTTP_HOST="localhost")
client.force_login(get_user_model().objects.filter(is_superuser=True).first())
for model in [model for model in apps.get_app_config({app!r}).get_models() if admin.site.is_registered(model)]:
    name = f"admin:{{model._meta.app_label}}_{{model._meta.model_name}}"
    pages = [reverse(name + "_changelist")]
    pages += [reverse(name + "_change", args=[row.pk]) for row in model.objects.all()[:1]]
    for page in pages:
        print(page, client.get(page).status_code)
"""
# Each row of a table of files: the key of the row it belongs to, the file's name and its text, downloaded.
DOWNLOADS = """
import json
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
client = Client(headers={{"host": "localhost"}})
client.force_login(get_user_model().objects.filter(is_superuser=True).first())
found = []
for row in apps.get_app_config({app!r}).get_model({model!r}).objects.select_related("table1").order_by("pk"):
    response = client.get(row.get_download_url())
    assert response.status_code == 200, response.status_code
    name = response.headers["Content-Disposition"].split("filename=")[1].strip('"')
    found.append([row.table1.access_id, name, b"".join(response.streaming_content).decode()])
print(json.dumps(found))
"""
RELATION = """
from django.apps import apps
field = apps.get_app_config({app!r}).get_model({model!r})._meta.get_field({field!r})
print(type(field).__name__, field.related_model.__name__, field.remote_field.on_delete.__name__)
"""


def migrated_access_project(bake_project, need, **answers):
    """A project with the option and mdbtools, its database migrated; samples are copied, never used in place."""
    need("mdb-export")
    project = bake_project(use_access_import=True, include_documents_app=False, **answers)
    project.fill_local()
    project.manage("migrate", "-v0")
    return project


@pytest.fixture
def access_project(bake_project, need):
    return lambda **answers: migrated_access_project(bake_project, need, **answers)


@pytest.fixture(scope="module")
def samples_project(bake_project, need):
    """One project for the apps of every sample and of the tests that add to them: migrated once, then checked
    and tested once, with all its apps (test_every_app_made_here_passes_check_ruff_and_its_own_tests)."""
    project = migrated_access_project(bake_project, need)
    project.run("-c", SUPERUSER, settings="dev")
    return project


def sample(tmp_path, name):
    return shutil.copy(SAMPLES / name, tmp_path / name)


def mdb_export(path, table, charset=None):
    """The table as mdbtools prints it: rows of {column: text}, dates as ISO."""
    command = ["mdb-export", "-D", "%Y-%m-%d", "-T", "%Y-%m-%d %H:%M:%S", str(path), table]
    env = {"MDB_JET3_CHARSET": charset} if charset else None
    output = subprocess.run(command, capture_output=True, encoding="utf-8", check=True, env=env).stdout
    return list(csv.DictReader(io.StringIO(output)))


def make_app(project, path, app, *export_options):
    folder = project.path / "access" / app
    exported = project.manage("access_export", *export_options, str(path), str(folder))
    project.manage("access_startapp", app, str(folder))
    project.manage("migrate", "-v0")
    imported = project.manage("access_import", app, str(folder))
    return folder, exported, imported


def run_django(project, code):
    return project.run("-c", "import django; django.setup()\n" + code, settings="dev").stdout


def dump(project, app):
    return json.loads(run_django(project, DUMP.format(app=app)))


@pytest.mark.parametrize("file_name", FILES)
def test_each_sample_becomes_an_app_that_holds_the_rows_and_shows_them(samples_project, tmp_path, file_name):
    app, export_options = FILES[file_name]
    project = samples_project
    path = sample(tmp_path, file_name)
    folder, _, imported = make_app(project, path, app, *export_options)

    description = json.loads((folder / "description.json").read_text(encoding="utf-8"))
    before = dump(project, app)
    for table in [table for table in description["tables"] if not table.get("files_of")]:
        expected = mdb_export(path, table["name"])
        rows = before[table["name"]]
        assert len(rows) == len(expected) == table["rows"], table["name"]
        for column in [column for column in table["columns"] if column["field"]]:
            if column["type"] in {"Text", "Memo/Hyperlink", "Long Integer", "Integer", "Byte"}:
                found = sorted(row[column["name"]].replace("None", "") for row in rows)
                assert found == sorted(row[column["name"]] for row in expected), (table["name"], column["name"])
            if column["type"] == "DateTime":
                readable = [row[column["name"]] for row in expected if row[column["name"]][8:10] != "00"]
                found = [row[column["name"]][:10] for row in rows if row[column["name"]] != "None"]
                assert sorted(found) == sorted(value[:10] for value in readable if value), column["name"]
    assert "new" in imported.stdout
    statuses = run_django(project, ADMIN_PAGES.format(app=app)).split()
    assert statuses[1::2] == ["200"] * (len(statuses) // 2) and len(statuses) >= 2 * len(description["tables"])
    statuses = run_django(project, APP_PAGES.format(app=app)).split()
    assert statuses[1::2] == ["200"] * (len(statuses) // 2), statuses
    with_pages = [table for table in description["tables"] if table["base"] != "LookupModel"]
    assert len(statuses) >= 2 * len(with_pages)

    again = project.manage("access_import", app, str(folder))
    assert set(re.findall(r"([\d,]+) (?:new|changed|replaced)\b", again.stdout)) <= {"0"}, again.stdout
    assert dump(project, app) == before  # modified_on too: a second import writes nothing


@pytest.mark.parametrize("app", ["related", "related_ace"])  # indexTestV2000.mdb, indexTestV2010.accdb
def test_relationships_become_foreign_keys_and_their_lookup_tables_lookup_models(samples_project, app):
    project = samples_project
    relation = RELATION.format(app=app, model="Table1", field="otherfk1")
    assert run_django(project, relation).split() == [
        "ForeignKey",
        "Table2",
        "CASCADE",  # Access's "cascade delete" flag
    ]
    relation = RELATION.format(app=app, model="Table1", field="otherfk2")
    assert run_django(project, relation).split() == [
        "ForeignKey",
        "Table3",
        "PROTECT",
    ]
    models = (project.path / project.slug / app / "models.py").read_text(encoding="utf-8")
    assert "class Table2(LookupModel):" in models
    assert "otherfk3 = models.IntegerField(" in models  # no relationship in Access: a plain number


def test_two_access_files_with_the_same_table_names_import_side_by_side(samples_project, tmp_path):
    """indexTestV2000.mdb and indexTestV2010.accdb both have Table1, Table2 and Table3: each app's tables are its
    own (<app>_<model>). Tables named in description.json that clash are all listed in one message, before
    anything is written."""
    project = samples_project
    tables = "from django.apps import apps\nfor app in ('related', 'related_ace'):\n"
    tables += "    models = apps.get_app_config(app).get_models()\n"
    tables += "    models = [model for model in models if not model.__name__.startswith('Historical')]\n"
    tables += "    print(*(model._meta.db_table for model in models))"
    assert run_django(project, tables).split() == [
        *("related_table1", "related_table2", "related_table3"),
        *("related_ace_table1", "related_ace_table2", "related_ace_table3"),
    ]
    first, second = dump(project, "related")["Table1"], dump(project, "related_ace")["Table1"]
    assert first and [row["data"] for row in first] == [row["data"] for row in second]

    folder = project.path / "access" / "third"
    project.manage("access_export", str(sample(tmp_path, "indexTestV2000.mdb")), str(folder))
    description = json.loads((folder / "description.json").read_text(encoding="utf-8"))
    for table, db_table in zip(description["tables"], ["related_table1", "related_table2", "shared"], strict=True):
        table["db_table"] = db_table
    description["tables"].append({**description["tables"][2], "name": "Copy", "class_name": "Copy"})
    (folder / "description.json").write_text(json.dumps(description), encoding="utf-8")
    result = project.manage("access_startapp", "third", str(folder), check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "CommandError: These tables would share a database table: Table1 as related_table1, which related.Table1 "
        "has; Table2 as related_table2, which related.Table2 has; Copy as shared, which the table Table3 has. "
        "Change their db_table in description.json (null: the app's own)."
    )
    assert not (project.path / project.slug / "third").exists()


def test_what_the_team_says_in_the_description_shapes_the_app(samples_project, tmp_path):
    """Indexes (Access's, or added in description.json) serve the list's sorting, a default in Decimal
    imports Decimal, a table marked read_only keeps its list, rows and history, and no forms, and a column
    declared a tax number (ΑΦΜ) keeps the values that are not valid ones, listed by the import."""
    project = samples_project
    folder = project.path / "access" / "marked"
    project.manage("access_export", str(sample(tmp_path, "indexTestV2000.mdb")), str(folder))
    description = json.loads((folder / "description.json").read_text(encoding="utf-8"))
    table1 = description["tables"][0]
    table1.update(read_only=True, indexes=[["data"], ["data", "otherfk3"]])
    (otherfk3,) = [column for column in table1["columns"] if column["field"] == "otherfk3"]
    otherfk3["declaration"] = 'models.DecimalField("otherfk3", max_digits=9, decimal_places=2, default=Decimal("1.5"))'
    (data,) = [column for column in table1["columns"] if column["field"] == "data"]
    data["declaration"] = 'TaxNumberField("data", max_length=50, blank=True)'
    (folder / "description.json").write_text(json.dumps(description), encoding="utf-8")
    project.manage("access_startapp", "marked", str(folder))
    project.manage("migrate", "-v0")
    imported = project.manage("access_import", "marked", str(folder)).stdout
    assert "Table1.data: 4 not valid, imported as they are: id=0; id=1; id=2; id=3." in imported
    stored = (
        "from {slug}.marked.models import Table1\nprint(*Table1.objects.order_by('id').values_list('data', flat=True))"
    )
    # Kept in compact form, as a form would keep them.
    assert run_django(project, stored.format(slug=project.slug)).split() == ["BAZ0", "BAZ11", "BAZ112", "BAZ13"]
    app_dir = project.path / project.slug / "marked"
    models = (app_dir / "models.py").read_text(encoding="utf-8")
    assert 'models.Index(fields=["data", "otherfk3"], name="marked_table1_2")' in models
    assert "from decimal import Decimal" in models
    sortable = "from {slug}.marked.tables import Table1Table as T\n"
    sortable += "print(*(name for name, column in T.base_columns.items() if column.orderable is not False))"
    assert run_django(project, sortable.format(slug=project.slug)).split() == ["id", "data"]
    urls = (app_dir / "urls.py").read_text(encoding="utf-8")
    assert "table1_list" in urls and "table1_history" in urls and "table1_update" not in urls
    assert not (app_dir / "forms.py").exists()


def test_every_app_made_here_passes_check_ruff_and_its_own_tests(samples_project):
    """The apps of the tests above, in one project: the guideline checks (warnings: --fail-level WARNING fails
    on any), migrations that match the models, ruff, and each app's tests (the permission matrix, the forms,
    the lists, on example rows)."""
    project = samples_project
    apps = [project.path / project.slug / app for app in [*(app for app, _ in FILES.values()), "marked"]]
    assert all(app.is_dir() for app in apps)
    project.manage("check", "--fail-level", "WARNING")
    project.manage("makemigrations", "--check", "--dry-run")
    project.run("-m", "ruff", "check", "--no-cache", *map(str, apps))
    project.run("-m", "ruff", "format", "--check", "--no-cache", *map(str, apps))
    project.run("-m", "pytest", "-q", "-p", "no:cacheprovider", *map(str, apps))


def test_a_bad_value_stops_the_import_with_its_table_and_key_and_writes_nothing(access_project, tmp_path):
    project = access_project()
    folder, _, _ = make_app(project, sample(tmp_path, "indexTestV2000.mdb"), "related")
    project.manage("flush", "--no-input")
    data = folder / "data" / "table1.jsonl"
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    rows[-1]["otherfk2"] = 99  # Table3 has no row 99
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")

    result = project.manage("access_import", "related", str(folder), check=False)
    assert result.returncode == 1
    error = "CommandError: Table1 row id=3: otherfk2 = 99: no row of Table3 has the key 99; nothing was imported."
    assert result.stderr.strip() == error
    assert all(rows == [] for rows in dump(project, "related").values())

    rows[-1]["otherfk2"] = 13
    rows[0]["data"] = "x" * 51  # the column holds 50
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    result = project.manage("access_import", "related", str(folder), check=False)
    assert result.stderr.strip().startswith("CommandError: Table1 row id=0: data = 'xxxx")
    assert "at most 50 characters" in result.stderr
    assert all(rows == [] for rows in dump(project, "related").values())

    # Two rows that only the database can tell apart from a good one: the same key twice.
    rows[0]["data"] = "baz0"
    rows.append(rows[-1])
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    result = project.manage("access_import", "related", str(folder), check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("CommandError: The database refused the rows: UNIQUE constraint failed")
    assert result.stderr.count("\n") == 1
    assert all(rows == [] for rows in dump(project, "related").values())


def test_attachments_become_files_their_rows_readers_download_and_what_cannot_map_is_listed(samples_project, tmp_path):
    """Access's attachments were listed and left behind; now each is a row of a table of files, its file
    handed out by a view that checks the permission (the app's own tests check who may)."""
    project = samples_project
    folder = project.path / "access" / "complex"  # test_each_sample_becomes_an_app... made the app from it
    exported = project.manage("access_export", sample(tmp_path, "complexDataTestV2010.accdb"), str(folder))
    skipped = [line for line in exported.stdout.splitlines() if "skipped" in line]
    assert [line.split(":")[0] for line in skipped] == [
        "Table1.VersionHistory_F5F8918F-0A3F-4DA9-AE71-184EE5012880",
        "Table1.multi-value-data",
    ]
    assert all(line.endswith("values left in Access: 4.") for line in skipped)
    assert "Table1.attach-data: 3 files, now the rows of the table Table1 attach-data." in exported.stdout

    downloads = json.loads(run_django(project, DOWNLOADS.format(app="complex", model="Table1AttachData")))
    assert downloads == [
        ["row2", "test_data.txt", "this is some test data for attachment."],
        ["row2", "test_data2.txt", "this is some more test data for attachment."],
        ["row4", "test_data2.txt", "this is some more test data for attachment."],
    ]

    # A files table's row that names a file outside the export: refused in one line, nothing written.
    data = folder / "data" / "table1_attach_data.jsonl"
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    (tmp_path / "secret.txt").write_text("not the export's", encoding="utf-8")
    rows[0]["File"] = str(Path("..", "..", *tmp_path.parts[1:], "secret.txt"))
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    before = dump(project, "complex")
    result = project.manage("access_import", "complex", str(folder), check=False)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "not a file of this export; nothing was imported." in result.stderr
    assert dump(project, "complex") == before


def test_dates_mdbtools_cannot_read_stop_the_export_and_write_nothing(samples_project, tmp_path):
    project = samples_project
    folder = project.path / "access" / "old_merchants"
    result = project.manage("access_export", sample(tmp_path, "merchant_taylors.mdb"), folder, check=False)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "merchant_taylors.Freedom (18)" in result.stderr and "--drop-unreadable-dates" in result.stderr
    assert not folder.exists() and not folder.with_name("old_merchants.partial").exists()

    path = sample(tmp_path, "merchant_taylors.mdb")
    project.manage("access_export", "--drop-unreadable-dates", path, folder)
    notes = json.loads((folder / "description.json").read_text(encoding="utf-8"))["notes"]
    unreadable = [row["Id No"] for row in mdb_export(path, "merchant_taylors") if row["Freedom"][8:10] == "00"]
    keys = ", ".join(f"id_no={key}" for key in unreadable)
    assert f"merchant_taylors.Freedom (18): dates mdbtools cannot read, left empty in the rows {keys}." in notes


def access_97_file(tmp_path, name, code_page, texts):
    """testV1997.mdb (code page 1252) with the header's code page changed and ``texts`` written over two of its
    texts in that code page, as an Access 97 on such a Windows would have written them (same length, so the
    file stays valid). Access hides the code page (0x3C) under a fixed RC4 stream: XOR changes it in place."""
    data = bytearray((SAMPLES / "testV1997.mdb").read_bytes())
    assert data[0x14:0x18] == bytes(4)  # JET3
    change = (1252 ^ code_page).to_bytes(2, "little")
    data[0x3C:0x3E] = bytes(a ^ b for a, b in zip(data[0x3C:0x3E], change, strict=True))
    for latin, text in zip(["abcdefg", "hijklmnop"], texts, strict=True):
        start = data.index(latin.encode())
        data[start : start + len(latin)] = text.encode(f"cp{code_page or 1253}")
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_the_text_of_an_access_97_file_is_read_in_the_code_page_the_file_names(access_project, tmp_path):
    """Each project reads a file by the code page in its header, whatever the project's language: before, an
    Access 97 file was read in the code page of the project's language (a Western file in a Greek project
    turned è into θ)."""
    greek_file = access_97_file(tmp_path, "greek97.mdb", 1253, ["αβγδεζη", "Καλημέρα!"])
    western_file = access_97_file(tmp_path, "western97.mdb", 1252, ["abcdèfg", "Très bien"])
    assert {row["B"] for row in mdb_export(greek_file, "Table1", charset="CP1253")} == {"b", "Καλημέρα!"}

    greek = access_project(project_name="Μητρώο", language_code="el")
    _, exported, _ = make_app(greek, western_file, "old_registry")
    assert "read as CP1252, the code page the file names" in exported.stdout
    assert {row["B"] for row in dump(greek, "old_registry")["Table1"]} == {"b", "Très bien"}

    english = access_project()
    folder = english.path / "access" / "greek"
    exported = english.manage("access_export", str(greek_file), str(folder))
    assert "read as CP1253, the code page the file names" in exported.stdout
    assert "Καλημέρα!" in (folder / "data" / "table1.jsonl").read_text(encoding="utf-8")
    english.manage("access_export", "--charset", "CP1252", str(greek_file), str(folder))
    assert "Καλημέρα!" not in (folder / "data" / "table1.jsonl").read_text(encoding="utf-8")


def test_an_access_97_file_that_names_no_code_page_is_read_in_the_languages_and_the_export_warns(
    access_project, tmp_path
):
    unnamed = access_97_file(tmp_path, "unnamed97.mdb", 0, ["αβγδεζη", "Καλημέρα!"])
    greek = access_project(project_name="Μητρώο", language_code="el")
    folder = greek.path / "access" / "unnamed"
    exported = greek.manage("access_export", str(unnamed), str(folder))
    assert "The file names no code page: its text was read as CP1253, the code page of the project's" in (
        exported.stdout
    )
    description = json.loads((folder / "description.json").read_text(encoding="utf-8"))
    assert description["source"]["charset"] == "CP1253"
    assert any("names no code page" in note for note in description["notes"])
    assert "Καλημέρα!" in (folder / "data" / "table1.jsonl").read_text(encoding="utf-8")


def test_without_mdbtools_or_a_driver_the_export_says_what_is_missing(samples_project, tmp_path):
    project = samples_project
    python_only = tmp_path / "bin"
    python_only.mkdir()
    path = sample(tmp_path, "testV1997.mdb")
    result = project.manage("access_export", path, tmp_path / "out", check=False, env={"PATH": str(python_only)})
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "CommandError: Reading Access files needs mdbtools (apt install mdbtools, brew install mdbtools) or, on "
        "Windows, pyodbc with Microsoft's Access Database Engine: neither is installed."
    )


def test_a_newer_export_updates_the_rows_that_changed_and_only_them(access_project, tmp_path):
    project = access_project()
    folder, _, _ = make_app(project, sample(tmp_path, "indexTestV2000.mdb"), "related")
    before = dump(project, "related")
    data = folder / "data" / "table1.jsonl"
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    rows[1]["data"] = "Αλλαγμένο"
    data.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")

    result = project.manage("access_import", "related", str(folder))
    assert "Table1: 0 new, 1 changed, 3 unchanged" in result.stdout
    after = dump(project, "related")
    assert [row["data"] for row in after["Table1"]] == ["baz0", "Αλλαγμένο", "baz11-2", "baz13"]
    changed_on = list(zip(before["Table1 changed on"], after["Table1 changed on"], strict=True))
    assert [old == new for old, new in changed_on] == [True, False, True, True]


def test_on_postgresql_new_rows_get_ids_after_the_imported_ones(bake_project, need, tmp_path):
    """The rows came with their ids: PostgreSQL's sequences must be moved past them, or the next new row fails."""
    need("mdb-export")
    initdb = need("initdb", *postgres.POSTGRES_BIN_DIRS)
    project = bake_project(use_access_import=True, include_documents_app=False)
    with postgres.postgres_cluster(Path(initdb).parent) as cluster:
        cluster.create_role_and_database(project.slug, "secret")
        database = {"ENGINE": "django.db.backends.postgresql", "NAME": project.slug, "USER": project.slug}
        database.update(PASSWORD="secret", HOST="127.0.0.1", PORT=str(cluster.port))
        project.fill_local(extra=f"DATABASES = {{'default': {database!r}}}\n")
        project.manage("migrate", "-v0")
        make_app(project, sample(tmp_path, "indexTestV2000.mdb"), "related")
        code = "from django.apps import apps; print(apps.get_model('related', 'Table3').objects.create(name='new').pk)"
        assert run_django(project, code).strip() == "14"
        vendor = run_django(project, "from django.db import connection; print(connection.vendor)")
        assert vendor.strip() == "postgresql"
