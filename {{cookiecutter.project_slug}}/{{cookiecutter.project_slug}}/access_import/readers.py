"""Reading an Access database: mdbtools on Linux and macOS, pyodbc with Microsoft's driver on Windows.

Both readers give the same things: the tables with their columns (under Access's own type names) and
primary keys, the relationships of MSysRelationships, and each table's rows as dicts of values that
JSON keeps as they are (dates as ISO text, currency as decimal text).
"""

import base64
import codecs
import csv
import io
import json
import os
import re
import shutil
import subprocess
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

# What mdbtools prints when Access's date lies outside the range it can convert (before 30 December 1899
# in mdbtools 1.0.0): day 0, which no real date has.
UNREADABLE_DATE = "1900-01-00 00:00:00"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
# The Windows code page an Access 97 (JET3) file of each language was most likely written in.
JET3_CODE_PAGES = {"el": "CP1253", "ru": "CP1251", "bg": "CP1251", "tr": "CP1254", "pl": "CP1250", "cs": "CP1250"}
LANGUAGE_GUESS = "the code page of the project's language"
# An Access file's first page hides its header from 0x18 on: 126 bytes in a JET3 file, under this RC4 key.
JET_HEADER_KEY = (0x6B39DAC7).to_bytes(4, "little")
JET3_HEADER_END = 0x18 + 126
# The ODBC driver's names of Access's types, as mdbtools calls them.
ODBC_TYPES = {
    "COUNTER": "Long Integer",
    "INTEGER": "Long Integer",
    "SMALLINT": "Integer",
    "BYTE": "Byte",
    "VARCHAR": "Text",
    "LONGCHAR": "Memo/Hyperlink",
    "CURRENCY": "Currency",
    "DOUBLE": "Double",
    "REAL": "Single",
    "DATETIME": "DateTime",
    "BIT": "Boolean",
    "GUID": "Replication ID",
    "DECIMAL": "Numeric",
    "NUMERIC": "Numeric",
    "LONGBINARY": "OLE",
    "VARBINARY": "Binary",
}


# Access's attachments: the file's bytes behind 8 bytes (0 plain or 1 deflated, then the length), then a header
# of its own (its length first) before the file itself.
ATTACHMENT_DEFLATED = 1
ATTACHMENT_COLUMNS = {"FileData", "FileFlags", "FileName", "FileTimeStamp", "FileType", "FileURL"}
# What a file's first bytes say it is: an OLE column that holds one of these holds a plain file.
FILE_SIGNATURES = {
    b"%PDF-": "pdf",
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpg",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
    b"II*\x00": "tif",
    b"MM\x00*": "tif",
    b"PK\x03\x04": "zip",
}


class AccessError(Exception):
    """What keeps a file from being read, in one line."""


class Unreadable:
    """A value the reader could not convert (a date mdbtools cannot read): counted, never guessed."""

    def __repr__(self):
        return "<unreadable>"


UNREADABLE = Unreadable()


@dataclass
class Column:
    name: str
    type: str  # Access's name: "Text", "Long Integer", "Memo/Hyperlink", "Unknown_0012"...
    size: int | None = None  # a Text's length, a Decimal's precision
    required: bool = False
    autonumber: bool = False
    scale: int | None = None  # a Decimal's digits after the point
    # What Access knows of the column beyond its type, by Access's names: Caption, Description, DefaultValue
    # (as Access writes it: "Smith", 0, Now()), AllowZeroLength, RowSourceType, RowSource, BoundColumn...
    properties: dict = field(default_factory=dict, compare=False)


@dataclass
class Table:
    name: str
    columns: list[Column]
    primary_key: list[str] = field(default_factory=list)
    unique: list[list[str]] = field(default_factory=list)
    indexes: list[list[str]] = field(default_factory=list)  # the other indexes: duplicates allowed
    properties: dict = field(default_factory=dict, compare=False)  # the table's own: its Description...
    # Not Access's own tables: the files of an OLE or attachment column, the values of a value list's ("T.C").
    files_of: str | None = None
    values_of: str | None = None


@dataclass
class Relationship:
    """A row of MSysRelationships: ``table.column`` refers to ``referenced_table.referenced_column``."""

    name: str
    table: str
    column: str
    referenced_table: str
    referenced_column: str
    flags: int
    columns: int  # more than one: a relationship over several columns


def open_database(path, charset=None):
    """The reader this machine has for ``path``, or a one-line AccessError saying what is missing."""
    path = Path(path)
    if not path.is_file():
        raise AccessError(f"{path} is not a file.")
    if shutil.which("mdb-tables"):
        return MdbTools(path, charset)
    driver = access_odbc_driver()
    if driver:
        return Odbc(path, driver)
    raise AccessError(
        "Reading Access files needs mdbtools (apt install mdbtools, brew install mdbtools) or, on Windows, "
        "pyodbc with Microsoft's Access Database Engine: neither is installed."
    )


def access_odbc_driver():
    try:
        import pyodbc
    except ImportError:
        return None
    return next((name for name in pyodbc.drivers() if "Microsoft Access Driver" in name), None)


def jet3_charset(path, language_code):
    """The code page to read an Access 97 file's text in, and why that one: MDB_JET3_CHARSET (mdbtools' own
    setting), else the one the file names, else the project language's, a guess."""
    if os.environ.get("MDB_JET3_CHARSET"):
        return os.environ["MDB_JET3_CHARSET"], "MDB_JET3_CHARSET"
    if named := file_code_page(path):
        return named, "the code page the file names"
    return JET3_CODE_PAGES.get(language_code.split("-")[0], "CP1252"), LANGUAGE_GUESS


def file_code_page(path):
    """The Windows code page an Access 97 (JET3) file says its text is in ("CP1253"), or None: a later format
    (Unicode), a file that names none or one Python does not know. Access keeps it at 0x3C of the first page,
    which it hides from 0x18 on under an RC4 stream of a fixed key (mdbtools reads it so too)."""
    try:
        with open(path, "rb") as file:
            page = file.read(JET3_HEADER_END)
    except OSError:
        return None
    if len(page) < JET3_HEADER_END or page[0x14:0x18] != bytes(4):  # the format's version: 0 is JET3
        return None
    header = rc4(JET_HEADER_KEY, page[0x18:])
    code_page = int.from_bytes(header[0x3C - 0x18 : 0x3E - 0x18], "little")
    try:
        codecs.lookup(f"cp{code_page}")
    except LookupError:
        return None
    return f"CP{code_page}" if code_page else None


def rc4(key, data):
    """RC4's stream XORed with ``data``: how Access hides a file's header."""
    state, j = list(range(256)), 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    i = j = 0
    hidden = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        hidden.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(hidden)


def json_ready(value):
    """The value as the export's JSON keeps it: dates as ISO text, decimals and GUIDs as text."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def replication_id(value):
    """A GUID (Replication ID) as Django's UUIDField keeps it, from mdb-json's {"$binary": base64} of its 16
    bytes as Windows stores them (the first three parts little-endian) or the "{...}" text Access shows."""
    try:
        if isinstance(value, dict):
            return str(uuid.UUID(bytes_le=base64.b64decode(value["$binary"], validate=True)))
        return str(uuid.UUID(value))
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise AccessError(f"{value!r} is not a Replication ID (GUID)") from error


def binary(value):
    """The bytes of an OLE or attachment value: mdb-json's {"$binary": base64}, the ODBC driver's bytes."""
    return base64.b64decode(value["$binary"]) if isinstance(value, dict) else bytes(value)


def attachment_content(encoded):
    """The file in one of Access's attachment values, or AccessError when it is not one."""
    length = int.from_bytes(encoded[4:8], "little")
    try:
        deflated = int.from_bytes(encoded[:4], "little") == ATTACHMENT_DEFLATED
        # Never more than the length it names: a damaged file cannot fill the memory.
        data = zlib.decompressobj().decompress(encoded[8:], length) if deflated else encoded[8 : 8 + length]
    except zlib.error as error:
        raise AccessError(f"an attachment Access did not write: {error}") from error
    header = int.from_bytes(data[:4], "little")
    if len(encoded) < 8 or len(data) != length or not 4 <= header <= length:
        raise AccessError("an attachment Access did not write: it is shorter than it says")
    return data[header:]


def plain_file_type(data):
    """The extension of the file ``data`` is ("pdf"), by its first bytes; None for anything else, such as the
    OLE objects Access wraps around what was pasted into it."""
    return next((extension for start, extension in FILE_SIGNATURES.items() if data.startswith(start)), None)


class MdbTools:
    """Reads through mdbtools' programs (mdb-ver, mdb-tables, mdb-schema, mdb-prop, mdb-json, mdb-export)."""

    unread_properties = None

    COLUMN = re.compile(
        r"^\t\[(?P<name>[^\]]+)\]\t+(?P<type>[^(,\n]+?)(?: \((?P<size>\d+)(?:, ?(?P<scale>\d+))?\))?"
        r"(?P<required> NOT NULL)?,? ?$"
    )
    TABLE = re.compile(r"^CREATE TABLE [\[`](?P<name>[^\]`]+)[\]`]$")
    KEY = re.compile(
        r"^ALTER TABLE `(?P<table>[^`]+)` ADD (?P<kind>PRIMARY KEY|UNIQUE INDEX|INDEX)(?: `[^`]*`)? "
        r"\((?P<columns>.+)\);$"
    )
    PROPERTY_OWNER = re.compile(r"^name: (?P<name>.*)$")
    PROPERTY = re.compile(r"^\t(?P<name>\w+): (?P<value>.*)$")
    AUTONUMBER = re.compile(r"^\t`(?P<name>[^`]+)`\t+.*auto_increment")

    def __init__(self, path, charset=None):
        self.path = path
        # Access 97 files keep text in the code page of the Windows they were made on; later ones in Unicode.
        self.environment = {**os.environ, "MDB_JET3_CHARSET": charset} if charset else None
        self.format = self.run("mdb-ver", str(path)).strip()
        self.system_tables = {}

    def run(self, *command):
        result = subprocess.run(command, capture_output=True, encoding="utf-8", errors="replace", env=self.environment)
        if result.returncode:
            reason = (result.stderr.strip().splitlines() or ["no message"])[-1]
            raise AccessError(f"{command[0]} cannot read {self.path.name}: {reason}")
        return result.stdout

    def tables(self):
        names = self.run("mdb-tables", "-1", str(self.path)).splitlines()
        tables = {name: Table(name, []) for name in names}
        self.read_columns(tables)
        self.read_keys(tables)
        for table in tables.values():
            self.read_properties(table)
        return [tables[name] for name in names]

    def read_properties(self, table):
        """What Access knows of the table and its columns, from mdb-prop; binary properties are left out."""
        columns = {column.name: column.properties for column in table.columns}
        owner = None
        for line in self.run("mdb-prop", str(self.path), table.name).splitlines():
            if match := self.PROPERTY_OWNER.match(line):
                owner = table.properties if match["name"] == "(none)" else columns.get(match["name"])
            elif (match := self.PROPERTY.match(line)) and owner is not None and match["value"][:12] != "(binary data":
                owner[match["name"]] = match["value"]

    def read_columns(self, tables):
        schema = self.run("mdb-schema", "--no-relations", "--not-null", "--no-indexes", str(self.path), "access")
        table = None
        for line in schema.splitlines():
            if match := self.TABLE.match(line):
                table = tables.get(match["name"])
            elif (match := self.COLUMN.match(line)) and table is not None:
                size, scale = (int(match[part]) if match[part] else None for part in ("size", "scale"))
                table.columns.append(Column(match["name"], match["type"], size, bool(match["required"]), scale=scale))

    def read_keys(self, tables):
        """Primary keys, unique indexes and AutoNumber columns, from the schema mdbtools writes for MySQL."""
        schema = self.run("mdb-schema", "--no-relations", "--indexes", str(self.path), "mysql")
        table = None
        for line in schema.splitlines():
            if match := self.TABLE.match(line):
                table = tables.get(match["name"])
            elif (match := self.AUTONUMBER.match(line)) and table is not None:
                next(column for column in table.columns if column.name == match["name"]).autonumber = True
            elif (match := self.KEY.match(line)) and match["table"] in tables:
                columns = re.findall(r"`([^`]+)`", match["columns"])
                if match["kind"] == "PRIMARY KEY":
                    tables[match["table"]].primary_key = columns
                elif match["kind"] == "UNIQUE INDEX":
                    tables[match["table"]].unique.append(columns)
                else:
                    tables[match["table"]].indexes.append(columns)

    def relationships(self):
        system_tables = self.run("mdb-tables", "-1", "-S", str(self.path)).splitlines()
        if "MSysRelationships" not in system_tables:
            return []
        rows = csv.DictReader(io.StringIO(self.run("mdb-export", str(self.path), "MSysRelationships")))
        return [
            Relationship(
                row["szRelationship"],
                row["szObject"],
                row["szColumn"],
                row["szReferencedObject"],
                row["szReferencedColumn"],
                int(row["grbit"]),
                int(row["ccolumn"]),
            )
            for row in rows
        ]

    def rows(self, table):
        """The table's rows, one dict per row; NULL columns are missing from it, as mdb-json leaves them out."""
        types = {column.name: column.type for column in table.columns}
        command = ["mdb-json", "-D", DATE_FORMAT, "-T", DATE_FORMAT, str(self.path), table.name]
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, encoding="utf-8", env=self.environment
        ) as process:
            for line in process.stdout:
                row = json.loads(line, parse_float=Decimal)
                yield {name: self.convert(types.get(name), value) for name, value in row.items()}
            error = process.stderr.read().strip()
        if process.returncode:
            raise AccessError(f"mdb-json cannot read {self.path.name}, table {table.name}: {error or 'no message'}")

    def attachments(self, table, column):
        """The files of an attachment column: (the value the table's rows hold, file name, bytes) each, from the
        hidden table Access keeps them in; None when the column is another kind of complex column."""
        names = {row.get("Id"): row.get("Name") for row in self.system_rows("MSysObjects")}
        found = [
            row
            for row in self.system_rows("MSysComplexColumns")
            if row["ColumnName"] == column and names.get(row["ConceptualTableID"]) == table
        ]
        if not found or names.get(found[0]["ComplexTypeObjectID"]) != "MSysComplexType_Attachment":
            return None
        flat = names[found[0]["FlatTableID"]]
        # Beside the attachment's own columns, the hidden table has its AutoNumber and the value the row holds.
        schema = self.run("mdb-schema", "-T", flat, str(self.path), "mysql")
        columns = re.findall(r"^\t`([^`]+)`\t+(.*)$", schema, re.MULTILINE)
        owner = next(name for name, kind in columns if name not in ATTACHMENT_COLUMNS and "auto_increment" not in kind)
        return [
            (row[owner], row["FileName"], attachment_content(binary(row["FileData"])))
            for row in self.rows(Table(flat, []))
            if owner in row and "FileData" in row
        ]

    def system_rows(self, name):
        """The rows of one of Access's own tables (MSys...), read once; none when the file has no such table."""
        if not self.system_tables:
            self.system_tables = dict.fromkeys(self.run("mdb-tables", "-1", "-S", str(self.path)).splitlines())
        if name in self.system_tables and self.system_tables[name] is None:
            self.system_tables[name] = list(self.rows(Table(name, [])))
        return self.system_tables.get(name) or []

    @staticmethod
    def convert(access_type, value):
        if access_type == "DateTime":
            return UNREADABLE if value == UNREADABLE_DATE else value.replace(" ", "T")
        if access_type == "Boolean":
            return bool(value)
        if access_type == "Replication ID":
            return replication_id(value)
        return json_ready(value)


class Odbc:
    """Reads through pyodbc and Microsoft's Access driver (Windows), as the seed article does."""

    unread_properties = "captions and lookups (a column's Row Source)"

    def __init__(self, path, driver):
        import pyodbc

        self.path = path
        self.format = path.suffix.lstrip(".").upper()
        try:
            self.connection = pyodbc.connect("Driver={" + driver + "};Dbq=" + str(path.resolve()), readonly=True)
        except pyodbc.Error as error:
            raise AccessError(f"{driver} cannot open {path.name}: {error.args[-1]}") from error

    def tables(self):
        cursor = self.connection.cursor()
        names = [row.table_name for row in cursor.tables(tableType="TABLE")]
        return [self.describe(cursor, name) for name in names if not name.startswith(("MSys", "~"))]

    def describe(self, cursor, name):
        table = Table(name, [])
        for row in cursor.columns(table=name):
            access_type = ODBC_TYPES.get(row.type_name.upper(), row.type_name)
            size = row.column_size if access_type in {"Text", "Numeric"} else None
            column = Column(row.column_name, access_type, size, not row.nullable, row.type_name.upper() == "COUNTER")
            column.scale = row.decimal_digits if access_type == "Numeric" else None
            # The driver gives a column's Description and Default Value; not its Caption nor its lookup.
            known = {"Description": row.remarks, "DefaultValue": row.column_def}
            column.properties.update({key: value for key, value in known.items() if value})
            table.columns.append(column)
        # The driver has no SQLPrimaryKeys; the key is the index Access names "PrimaryKey".
        unique, others = {}, {}
        for row in cursor.statistics(name):
            if row.index_name:
                (others if row.non_unique else unique).setdefault(row.index_name, []).append(row.column_name)
        table.primary_key = unique.pop("PrimaryKey", [])
        table.unique = list(unique.values())
        table.indexes = list(others.values())
        return table

    def relationships(self):
        import pyodbc

        cursor = self.connection.cursor()
        try:
            cursor.execute(
                "SELECT szRelationship, szObject, szColumn, szReferencedObject, szReferencedColumn, grbit, ccolumn "
                "FROM MSysRelationships"
            )
        except pyodbc.Error as error:
            raise AccessError(
                "Access does not let this driver read MSysRelationships (the relationships): in Access, run "
                "GRANT SELECT ON MSysRelationships TO Admin once, or export with mdbtools."
            ) from error
        return [Relationship(*row[:5], int(row[5]), int(row[6])) for row in cursor.fetchall()]

    def attachments(self, table, column):
        """None: the driver reads no complex column, attachments included; they stay listed."""
        return None

    def rows(self, table):
        cursor = self.connection.cursor()
        cursor.execute(f"SELECT * FROM [{table.name}]")
        names = [description[0] for description in cursor.description]
        while batch := cursor.fetchmany(1000):
            for values in batch:
                yield {name: json_ready(value) for name, value in zip(names, values, strict=True) if value is not None}
