"""access_export's work: an Access file to a folder a team can review, with description.json and data/*.jsonl."""

import csv
import json
import re
import shutil
from pathlib import Path, PurePath

from .description import (
    DELETE_CASCADE,
    FILES_COLUMN,
    LOOKUP_NAME_LENGTH,
    describe,
    has_id_key,
    hyperlink_parts,
    identifier_field,
    listed,
    python_name,
    skip_reason,
)
from .progress import Progress
from .readers import UNREADABLE, AccessError, Column, Relationship, Table, binary, open_database, plain_file_type


def export(path, folder, *, charset=None, charset_guessed=False, drop_unreadable_dates=False, stdout=None):
    """Writes ``folder`` (replacing an earlier export there) and returns the description; on any error the
    folder is left as it was. ``charset_guessed``: the file names no code page, ``charset`` is a guess."""
    path, folder = Path(path), Path(folder)
    reader = open_database(path, charset)
    tables = reader.tables()
    relationships = reader.relationships()
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    # The whole Access database, people's data included: its owner's alone, whatever the umask.
    partial.mkdir(mode=0o700, parents=True)
    partial.chmod(0o700)
    (partial / "data").mkdir()
    try:
        stats, file_names, table_files = {}, set(), []
        for table in tables:
            name = unique_file_name(python_name(table.name), file_names)
            table_files.append(TableFiles(table, partial, name))
            stats[table.name] = write_rows(reader, table, partial, f"data/{name}.jsonl", table_files[-1], stdout)
        for files in table_files:
            for files_table, relationship, files_stats in files.tables(reader, stats, file_names):
                tables.append(files_table)
                relationships.append(relationship)
                stats[files_table.name] = files_stats
        for table in list(tables):
            for lookup, relationship, lookup_stats in value_lists(table, stats, partial, file_names):
                tables.append(lookup)
                relationships.append(relationship)
                stats[lookup.name] = lookup_stats
        unreadable = {
            f"{table}.{column} ({len(keys)})": keys
            for table, table_stats in stats.items()
            for column, keys in table_stats["unreadable_dates"].items()
        }
        if unreadable and not drop_unreadable_dates:
            raise AccessError(
                f"This mdbtools cannot read dates before 30 December 1899 in {', '.join(unreadable)}: "
                "use an mdbtools later than 1.0.0, or --drop-unreadable-dates to leave them empty."
            )
        source = {"file": path.name, "format": reader.format}
        if reader.format == "JET3":
            source["charset"] = charset
        description = describe(tables, relationships, stats, source)
        if reader.format == "JET3" and charset_guessed:
            description["notes"].append(
                f"The file names no code page: its text was read as {charset}, the code page of the project's "
                "language. Check its text; if it is wrong, export again with --charset."
            )
        description["notes"] += [
            f"{entry}: dates mdbtools cannot read, left empty in the rows {listed(keys)}."
            for entry, keys in unreadable.items()
        ]
        if reader.unread_properties:
            description["notes"].append(
                f"This reader (Microsoft's ODBC driver) does not give {reader.unread_properties}: the fields are "
                "named after the columns, and lookups without a relationship stay plain columns. mdbtools (under "
                "WSL on Windows) reads them."
            )
        text = json.dumps(description, ensure_ascii=False, indent=2)
        (partial / "description.json").write_text(text + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(partial)
        raise
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return description


def unique_file_name(name, taken):
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def row_key(table, row, number):
    """How the notes name a row: its key's values ("id=17", "year=1850/page=3"), or its number in the file."""
    if not table.primary_key:
        return f"number {number}"
    return "/".join(f"{python_name(name)}={row.get(name)}" for name in table.primary_key)


INVALID_LISTED = 20  # the first invalid identifiers of a column the notes name; they count the others


def write_rows(reader, table, folder, data_file, files, stdout):
    """Writes the table's rows (all but the skipped columns), hands ``files`` (TableFiles) each, and returns
    what the description needs of them."""
    types = {column.name: column.type for column in table.columns}
    skipped = {column.name for column in table.columns if skip_reason(column)}
    # Whether a text is unique decides a lookup table; only two-column tables with an id may be one.
    distinct = {} if len(table.columns) == 2 and has_id_key(table) else None
    columns = {column.name: {"values": 0} for column in table.columns}
    unreadable_dates, rows = {}, 0  # each column's: the keys of the rows whose date was unreadable
    # The values of the columns whose lookup is a value list: with the list's, a lookup table (value_lists).
    listed_values = {column.name: set() for column in table.columns if value_list(column) is not None}
    identifiers = {column.name: identifier_field(column) for column in table.columns if identifier_field(column)}
    with (folder / data_file).open("w", encoding="utf-8", newline="\n") as output:
        progress = Progress(stdout, table.name)
        for row in reader.rows(table):
            for name, value in row.items():
                column = columns.setdefault(name, {"values": 0})
                column["values"] += 1
                if value is UNREADABLE:
                    unreadable_dates.setdefault(name, []).append(row_key(table, row, rows + 1))
                elif types.get(name) == "DateTime" and not value.endswith("T00:00:00"):
                    column["has_time"] = True
                elif types.get(name) == "Memo/Hyperlink" and hyperlink_parts(value):
                    column["hyperlinks"] = column.get("hyperlinks", 0) + 1
                elif name in listed_values:
                    listed_values[name].add(value)
                if name in identifiers and value and not identifiers[name].is_valid(value):
                    column["invalid_count"] = column.get("invalid_count", 0) + 1
                    if column["invalid_count"] <= INVALID_LISTED:
                        column.setdefault("invalid", []).append(f"{row_key(table, row, rows + 1)} ({value!r})")
                if types.get(name) == "Text":
                    column["longest"] = max(column.get("longest", 0), len(value))
                    column["shortest"] = min(column.get("shortest", len(value)), len(value))
                    if distinct is not None:
                        distinct.setdefault(name, set()).add(value)
            files.add(row, rows + 1)
            kept = {name: value for name, value in row.items() if name not in skipped and value is not UNREADABLE}
            output.write(json.dumps(kept, ensure_ascii=False) + "\n")
            rows += 1
            progress.update(rows)
        progress.done(f"{rows:,} rows")
    for name, values in (distinct or {}).items():
        columns[name]["unique"] = len(values) == columns[name]["values"] == rows
    for name, values in listed_values.items():
        columns[name]["distinct"] = values
    return {"rows": rows, "data_file": data_file, "columns": columns, "unreadable_dates": unreadable_dates}


def linking_key(table):
    """The column the rows of a table are referred to by, when it is one: its key, else a unique column."""
    keys = [key for key in [table.primary_key, *table.unique] if len(key) == 1]
    return keys[0][0] if keys else None


class TableFiles:
    """The files in a table's OLE and attachment columns. Each such column becomes a table of its own, "<table>
    <column>", with a row per file: the key of the row it belongs to, and the file, written under files/. Only
    a table whose rows have a one-column key has them; an OLE value that is not a plain file (an object Access
    wrapped, a drawing) stays in Access, listed."""

    def __init__(self, table, folder, stem):
        self.table, self.folder, self.stem = table, folder, stem
        self.key = linking_key(table)
        kinds = {column.name: column.type for column in table.columns} if self.key else {}
        self.ole = {name: [] for name, kind in kinds.items() if kind == "OLE"}  # each column's rows
        self.owners = {name: {} for name, kind in kinds.items() if kind.startswith("Unknown_001")}
        self.not_files = {}  # of each OLE column: the keys of the rows whose value is not a plain file
        # The files table's column that holds the key of the row a file belongs to.
        self.owner_column = table.name if table.name != FILES_COLUMN else f"{table.name} row"

    def add(self, row, number):
        """Writes the row's plain files and remembers which row each complex value (attachments) belongs to."""
        key = row.get(self.key)
        for name in self.ole.keys() & row.keys():
            data = binary(row[name])
            extension = plain_file_type(data)
            if extension is None:
                self.not_files.setdefault(name, []).append(row_key(self.table, row, number))
            else:
                count = len(self.ole[name]) + 1
                file_name = f"{self.stem}-{plain_name(key)}.{extension}"  # "deeds-17.pdf"
                self.ole[name].append(self.write(name, count, file_name, data, key))
        for name in self.owners.keys() & row.keys():
            self.owners[name][row[name]] = key

    def write(self, column, number, file_name, data, key):
        path = f"files/{self.stem}/{python_name(column)}/{number}/{file_name}"
        (self.folder / path).parent.mkdir(parents=True, exist_ok=True)
        (self.folder / path).write_bytes(data)
        return {self.owner_column: key, FILES_COLUMN: path}

    def tables(self, reader, stats, file_names):
        """(table, its relationship to this one, its stats) for each column whose files became a table; the
        column's stats say which and how many of its values stayed in Access."""
        for column in self.table.columns:
            found = self.files_rows(reader, column.name)
            if found is None:
                continue
            rows, orphans = found
            key = next(other for other in self.table.columns if other.name == self.key)
            owner = Column(self.owner_column, key.type, key.size, required=True, scale=key.scale)
            columns = [owner, Column(FILES_COLUMN, "File", required=True)]
            name = f"{self.table.name} {column.name}"
            while name in stats:  # an Access table of that name
                name += " files"
            table = Table(name, columns, files_of=f"{self.table.name}.{column.name}")
            stem = unique_file_name(python_name(table.name), file_names)
            with (self.folder / "data" / f"{stem}.jsonl").open("w", encoding="utf-8", newline="\n") as output:
                output.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
            column_stats = stats[self.table.name]["columns"][column.name]
            column_stats.update(files_table=table.name, files=len(rows), orphans=orphans)
            column_stats["not_files"] = self.not_files.get(column.name, [])
            relationship = Relationship(
                f"files {table.name}", table.name, owner.name, self.table.name, self.key, DELETE_CASCADE, 1
            )
            counts = {name: {"values": len(rows)} for name in (owner.name, FILES_COLUMN)}
            yield (
                table,
                relationship,
                {
                    "rows": len(rows),
                    "data_file": f"data/{stem}.jsonl",
                    "columns": counts,
                    "unreadable_dates": {},
                },
            )

    def files_rows(self, reader, column):
        """The files table's rows of ``column`` and how many of its files belong to no row; None for a column
        whose values are not files (not OLE, not attachments) or that this reader cannot read."""
        if column in self.ole:
            return self.ole[column], 0
        found = reader.attachments(self.table.name, column) if column in self.owners else None
        if found is None:
            return None
        owners, rows = self.owners[column], []
        for number, (owner, file_name, data) in enumerate(found, start=1):
            if owner in owners:
                rows.append(self.write(column, number, plain_name(file_name), data, owners[owner]))
        return rows, len(found) - len(rows)


def plain_name(file_name):
    """An attachment's name as a file of the export may have it, on Windows too: its last part, without the
    characters Windows refuses, never empty nor ".."."""
    name = re.sub(r'[<>:"|?*\x00-\x1f]', "_", PurePath(str(file_name).replace("\\", "/")).name).strip(" .")
    return name or "file"


def value_list(column):
    """The values of a lookup column's value list ("Mr";"Mrs";"Dr."), or None: no list, or one of several
    columns, which stays a plain column, noted (description.lookup_relationships)."""
    source = column.properties.get("RowSource", "")
    if column.properties.get("RowSourceType") != "Value List" or column.properties.get("ColumnCount", "1") != "1":
        return None
    if column.type not in {"Text", "Memo/Hyperlink"} or not source.strip():
        return None
    values = next(csv.reader([source], delimiter=";", skipinitialspace=True))
    return list(dict.fromkeys(value.strip() for value in values if value.strip()))


def value_lists(table, stats, folder, file_names):
    """(lookup table, relationship, stats) for each column whose lookup is a value list: its values, those of
    the list first, become the rows of a lookup table "<table> <column>", which the column refers to by name.
    A value longer than a lookup's name may be keeps the column plain."""
    for column in table.columns:
        listed = value_list(column)
        if listed is None:
            continue
        seen = stats[table.name]["columns"][column.name].pop("distinct", set())
        values = listed + sorted(seen - set(listed))
        # A key stays the key (description.usable_relationships says so in the notes).
        if not values or column.name in table.primary_key or any(len(value) > LOOKUP_NAME_LENGTH for value in values):
            continue
        name = f"{table.name} {column.name}"
        while name in stats:
            name += " values"
        lookup = Table(
            name,
            [Column("ID", "Long Integer", required=True), Column("Name", "Text", LOOKUP_NAME_LENGTH, required=True)],
            primary_key=["ID"],
            unique=[["Name"]],
            values_of=f"{table.name}.{column.name}",
        )
        stem = unique_file_name(python_name(name), file_names)
        with (folder / "data" / f"{stem}.jsonl").open("w", encoding="utf-8", newline="\n") as output:
            for number, value in enumerate(values, start=1):
                output.write(json.dumps({"ID": number, "Name": value}, ensure_ascii=False) + "\n")
        lengths = [len(value) for value in values]
        name_stats = {"values": len(values), "unique": True, "shortest": min(lengths, default=0)}
        relationship = Relationship(f"values {name}", table.name, column.name, name, "Name", 0, 1)
        yield (
            lookup,
            relationship,
            {
                "rows": len(values),
                "data_file": f"data/{stem}.jsonl",
                "columns": {"ID": {"values": len(values)}, "Name": name_stats | {"longest": max(lengths, default=0)}},
                "unreadable_dates": {},
            },
        )
