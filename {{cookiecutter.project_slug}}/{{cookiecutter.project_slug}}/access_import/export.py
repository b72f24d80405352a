"""access_export's work: an Access file to a folder a team can review, with description.json and data/*.jsonl."""

import json
import shutil
from pathlib import Path

from .description import describe, has_id_key, python_name, skip_reason
from .progress import Progress
from .readers import UNREADABLE, AccessError, open_database


def export(path, folder, *, charset=None, charset_guessed=False, drop_unreadable_dates=False, stdout=None):
    """Writes ``folder`` (replacing an earlier export there) and returns the description; on any error the
    folder is left as it was. ``charset_guessed``: the file names no code page, ``charset`` is a guess."""
    path, folder = Path(path), Path(folder)
    reader = open_database(path, charset)
    tables = reader.tables()
    relationships = reader.relationships()
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    (partial / "data").mkdir(parents=True)
    try:
        stats, file_names = {}, set()
        for table in tables:
            name = python_name(table.name)
            while name in file_names:
                name += "_"
            file_names.add(name)
            stats[table.name] = write_rows(reader, table, partial, f"data/{name}.jsonl", stdout)
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


def row_key(table, row, number):
    """How the notes name a row: its key's values ("id=17", "year=1850/page=3"), or its number in the file."""
    if not table.primary_key:
        return f"number {number}"
    return "/".join(f"{python_name(name)}={row.get(name)}" for name in table.primary_key)


def listed(keys, at_most=20):
    shown = ", ".join(keys[:at_most])
    return shown + (f" and {len(keys) - at_most} more" if len(keys) > at_most else "")


def write_rows(reader, table, folder, data_file, stdout):
    """Writes the table's rows (all but the skipped columns) and returns what the description needs of them."""
    types = {column.name: column.type for column in table.columns}
    skipped = {column.name for column in table.columns if skip_reason(column)}
    # Whether a text is unique decides a lookup table; only two-column tables with an id may be one.
    distinct = {} if len(table.columns) == 2 and has_id_key(table) else None
    columns = {column.name: {"values": 0} for column in table.columns}
    unreadable_dates, rows = {}, 0  # each column's: the keys of the rows whose date was unreadable
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
                elif types.get(name) == "Text":
                    column["longest"] = max(column.get("longest", 0), len(value))
                    column["shortest"] = min(column.get("shortest", len(value)), len(value))
                    if distinct is not None:
                        distinct.setdefault(name, set()).add(value)
            kept = {name: value for name, value in row.items() if name not in skipped and value is not UNREADABLE}
            output.write(json.dumps(kept, ensure_ascii=False) + "\n")
            rows += 1
            progress.update(rows)
        progress.done(f"{rows:,} rows")
    for name, values in (distinct or {}).items():
        columns[name]["unique"] = len(values) == columns[name]["values"] == rows
    return {"rows": rows, "data_file": data_file, "columns": columns, "unreadable_dates": unreadable_dates}
