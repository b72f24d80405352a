"""access_import's work: an export's rows into the models of the app made from it, in one transaction.

Rows are matched by their Access key: new keys are created, rows whose values differ are updated, equal ones
are left alone, so a second import of the same export writes nothing. A table without a key is replaced
when it differs. Every value goes through its field's ``clean()`` and every relation is looked up before
anything is written; the first bad row stops the import with its table, key and reason. A Greek identifier
(ΑΦΜ, ΑΜΚΑ, postal code) that is not a valid one is the exception: Access-era registers are full of them, so
it is imported as it is, in compact form, and each column's are listed, for the team to correct.
"""

import hashlib
import json
from collections import Counter
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from ..core.identifiers import CompactField
from ..files.media import ascii_file_name, protected_folder
from .description import hyperlink_parts
from .progress import Progress

BATCH_SIZE = 2000
INVALID_LISTED = 20  # the rows of a column's invalid identifiers named; the others are counted


class BadRow(Exception):
    """A row that cannot be imported: its table, its key and why, in one line."""


def app_description(app_config):
    path = Path(app_config.path) / "access.json"
    if not path.is_file():
        raise BadRow(f"{app_config.label} was not made by access_startapp: it has no access.json.")
    return json.loads(path.read_text(encoding="utf-8"))


def dependency_order(tables):
    """Referenced tables before the tables that refer to them; a cycle keeps Access's order (the
    database checks foreign keys at commit, so it holds either way)."""
    by_name = {table["name"]: table for table in tables}
    order, seen = [], set()

    def visit(table):
        if table["name"] in seen:
            return
        seen.add(table["name"])
        for column in table["columns"]:
            if column.get("references") in by_name:
                visit(by_name[column["references"]])
        order.append(table)

    for table in tables:
        visit(table)
    return order


def load_export(app_config, folder, time_zone=None, stdout=None):
    """Imports the export in ``folder`` into the app's models; returns {table: Counter of what happened}."""
    folder = Path(folder)
    description = app_description(app_config)
    tables = dependency_order(description["tables"])
    loaders = [TableLoader(app_config.get_model(table["class_name"]), table, folder, time_zone) for table in tables]
    by_table = {loader.table["name"]: loader for loader in loaders}
    results = {}
    with transaction.atomic():
        for loader in loaders:
            loader.referenced = {
                field.name: by_table[column["references"]].known_keys(column["to_column"])
                for column, field in loader.fields
                if column.get("references")
            }
        for loader in loaders:
            results[loader.table["name"]] = loader.load(stdout)
        # Rows came with their ids: the next id the database hands out must come after them.
        sql = connection.ops.sequence_reset_sql(no_style(), [loader.model for loader in loaders])
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
    return results


def hyperlink_part(value, part):
    """The "address" or the "text" of an Access Hyperlink."""
    parts = hyperlink_parts(value)
    if parts is None:
        raise ValidationError("not a hyperlink (text#address#)")
    return parts[0] if part == "address" else parts[1]


class TableLoader:
    def __init__(self, model, table, folder, time_zone):
        self.model, self.table = model, table
        self.folder, self.path = folder, folder / table["data_file"]
        if not self.path.is_file():
            raise BadRow(f"{table['name']}: {self.path} is missing; export the Access file again.")
        mapped = [column for column in table["columns"] if column["field"]]
        self.fields = [(column, model._meta.get_field(column["field"])) for column in mapped]
        self.known_columns = {column["name"] for column in table["columns"]}
        self.key_fields = [model._meta.get_field(name) for name in table["key_fields"]]
        self.zone = time_zone or timezone.get_default_timezone()
        self.audited = any(field.name == "modified_on" for field in model._meta.fields)
        self.referenced = {}
        # Greek identifiers that are not valid ones: how many per column, and the first rows.
        self.invalid, self.invalid_rows = Counter(), {}

    def rows(self):
        with self.path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                row = json.loads(line)
                unknown = row.keys() - self.known_columns
                if unknown:
                    raise BadRow(
                        f"{self.table['name']}: column {sorted(unknown)[0]!r} is not in the app's access.json; "
                        "make the app again from this export, or add the field and its entry."
                    )
                yield number, row

    def known_keys(self, access_column):
        """The values of ``access_column`` (a key) in the database and in the export: what relations may name."""
        field = next(field for column, field in self.fields if column["name"] == access_column)
        keys = set(self.model.objects.values_list(field.attname, flat=True))
        exported = (row.get(access_column) for _, row in self.rows())
        keys.update(field.to_python(value) for value in exported if value is not None)
        return keys

    def convert(self, number, row):
        """The row's values by attname, each cleaned as a form would; BadRow on the first one that is not."""
        values = {}
        for column, field in self.fields:
            raw = row.get(column["name"])
            try:
                if column.get("hyperlink") and raw is not None:
                    raw = hyperlink_part(raw, column["hyperlink"])
                values[field.attname] = self.clean(field, raw)
                if isinstance(field, CompactField) and raw and not field.is_valid(raw):
                    self.invalid[column["name"]] += 1
                    if self.invalid[column["name"]] <= INVALID_LISTED:
                        self.invalid_rows.setdefault(column["name"], []).append(self.key(number, row))
            except ValidationError as error:
                reason = " ".join(error.messages)
                key = self.key(number, row)
                raise BadRow(f"{self.table['name']} row {key}: {column['name']} = {raw!r}: {reason}") from error
        return values

    def key(self, number, row):
        return ", ".join(f"{name}={row.get(name)!r}" for name in self.table["primary_key"]) or f"line {number}"

    def clean(self, field, raw):
        if raw is None and not field.null and field.is_relation:
            raise ValidationError(field.error_messages["null"])
        if raw is None and not field.null:
            # Access's empty text and unset Yes/No: Django keeps them as "" and False, never NULL.
            raw = "" if isinstance(field, models.CharField | models.TextField) else field.get_default()
        if isinstance(field, models.FileField):
            return self.stored_file(field, raw)
        if isinstance(field, CompactField):
            return field.to_python(raw)
        if field.is_relation:
            value = field.target_field.to_python(raw)
            if value is not None and value not in self.referenced[field.name]:
                raise ValidationError(f"no row of {field.related_model._meta.verbose_name} has the key {value!r}")
            return value
        if isinstance(field, models.DateTimeField) and raw is not None:
            value = field.to_python(raw)
            return timezone.make_aware(value, self.zone) if timezone.is_naive(value) else value
        if isinstance(field, models.DateField) and isinstance(raw, str) and raw.endswith("T00:00:00"):
            raw = raw[:10]
        return field.clean(raw, None)

    def stored_file(self, field, path):
        """The name the file at ``path`` (in the export) is stored under, in the field's folder under a hash of
        its bytes: the same file imported again is the same name, stored once."""
        source = (self.folder / str(path)).resolve()
        if not path or not source.is_relative_to(self.folder.resolve()) or not source.is_file():
            raise ValidationError("not a file of this export")
        data = source.read_bytes()
        meta = field.model._meta
        own_folder = getattr(field.upload_to, "folder", f"{meta.app_label}/{meta.model_name}")  # DatedUploadTo's
        folder = PurePosixPath(protected_folder(), own_folder, hashlib.sha256(data).hexdigest()[:32])
        stem, dot, extension = ascii_file_name(source.name).partition(".")
        room = field.max_length - len(f"{folder}/{dot}{extension}")
        name = f"{folder}/{stem[:room].rstrip('-_') or 'file'}{dot}{extension}"
        return name if field.storage.exists(name) else field.storage.save(name, ContentFile(data))

    def load(self, stdout):
        counts = self.load_rows(stdout)
        for column, count in self.invalid.items():
            rows = "; ".join(self.invalid_rows[column])
            if count > INVALID_LISTED:
                rows += f"; and {count - INVALID_LISTED:,} more"
            if stdout:
                stdout.write(f"{self.table['name']}.{column}: {count:,} not valid, imported as they are: {rows}.")
        return counts

    def load_rows(self, stdout):
        attnames = [field.attname for _, field in self.fields]
        if not self.key_fields:
            counts = self.replace([self.convert(number, row) for number, row in self.rows()], attnames)
            Progress(stdout, self.table["name"]).done(", ".join(f"{count:,} {word}" for word, count in counts.items()))
            return counts
        key_attnames = [field.attname for field in self.key_fields]
        # Each key's row as it is here: its pk and the values the export would set.
        existing = {
            tuple(values[1 : len(key_attnames) + 1]): (values[0], values[len(key_attnames) + 1 :])
            for values in self.model.objects.values_list("pk", *key_attnames, *attnames)
        }
        counts, new = Counter(), []
        progress = Progress(stdout, self.table["name"], self.table.get("rows"))
        touched = {"modified_on": timezone.now()} if self.audited else {}
        for number, row in self.rows():
            values = self.convert(number, row)
            pk, current = existing.get(tuple(values[name] for name in key_attnames), (None, None))
            if pk is None:
                new.append(self.model(**values))
                counts["new"] += 1
            elif current != tuple(values[name] for name in attnames):
                # One UPDATE per changed row: bulk_update()'s CASE per field costs 4 times as much (benchmarks).
                values.pop(self.model._meta.pk.attname, None)
                self.model.objects.filter(pk=pk).update(**values, **touched)
                counts["changed"] += 1
            else:
                counts["unchanged"] += 1
            progress.update(number)
            if len(new) >= BATCH_SIZE:
                self.model.objects.bulk_create(new)
                new.clear()
        self.model.objects.bulk_create(new)
        progress.done(", ".join(f"{counts[word]:,} {word}" for word in ("new", "changed", "unchanged")))
        return counts

    def replace(self, incoming, attnames):
        """A table without a key: its rows are replaced when they differ from the export's, as a whole."""
        current = Counter(self.model.objects.values_list(*attnames))
        if current == Counter(tuple(values[name] for name in attnames) for values in incoming):
            return Counter(unchanged=len(incoming))
        self.model.objects.all().delete()
        self.model.objects.bulk_create([self.model(**values) for values in incoming], batch_size=BATCH_SIZE)
        return Counter(replaced=len(incoming))
