"""The readers, without an Access file: mdbtools' printed output parsed, pyodbc's rows mapped, what is missing said.

The mdbtools output below is what mdbtools 1.0.0 prints for a sample file; the pyodbc stand-in answers
with the row attributes pyodbc documents (table_name, column_name, type_name, index_name...). Reading
real files is tested where mdbtools is installed (the template's tests, in CI).
"""

import base64
import sys
import uuid
from types import SimpleNamespace

import pytest

from .. import readers
from ..readers import UNREADABLE, AccessError, Column, MdbTools, Odbc, jet3_charset, open_database

ACCESS_SCHEMA = """-- MDB Tools
CREATE TABLE [Orders]
 (
\t[Order ID]\t\t\tLong Integer,
\t[Customer]\t\t\tText (50) NOT NULL,
\t[Notes]\t\t\tMemo/Hyperlink (255),
\t[Photo]\t\t\tOLE,
\t[Files]\t\t\tUnknown_0012,
\t[Rate]\t\t\tNumeric (18, 2)
);

CREATE TABLE [Customers]
 (
\t[Customer]\t\t\tText (50)
);
"""
MYSQL_SCHEMA = """CREATE TABLE `Orders`
 (
\t`Order ID`\t\t\tint not null auto_increment unique,
\t`Customer`\t\t\tvarchar (50)
);
ALTER TABLE `Orders` ADD PRIMARY KEY (`Order ID`);
ALTER TABLE `Orders` ADD INDEX `Order ID` (`Order ID`);
ALTER TABLE `Orders` ADD INDEX `Customer` (`Customer`);
ALTER TABLE `Customers` ADD UNIQUE INDEX `Customer_1` (`Customer`);
"""
# What mdb-prop prints of a table: "(none)" is the table's own properties, then each column's.
ORDERS_PROPERTIES = """name: (none)
	Description: Παραγγελίες πελατών
	DefaultView: 2
	NameMap: (binary data of length 196)

name: Order ID
	Caption: Αριθμός
	Required: no

name: Customer
	Caption: Πελάτης
	Description: Ποιος παρήγγειλε
	DefaultValue: "Μαρία"
	DisplayControl: 111
	RowSourceType: Table/Query
	RowSource: SELECT [Customers].[Customer] FROM Customers ORDER BY [Customer];
	BoundColumn: 1

"""
RELATIONSHIPS = """szRelationship,grbit,ccolumn,icolumn,szObject,szColumn,szReferencedObject,szReferencedColumn
"CustomersOrders",4096,1,0,"Orders","Customer","Customers","Customer"
"""


@pytest.fixture
def mdbtools(monkeypatch, tmp_path):
    outputs = {
        ("mdb-ver",): "JET4\n",
        ("mdb-tables", "-1"): "Orders\nCustomers\n",
        ("mdb-tables", "-1", "-S"): "MSysObjects\nMSysRelationships\nOrders\nCustomers\n",
        ("mdb-schema", "access"): ACCESS_SCHEMA,
        ("mdb-schema", "mysql"): MYSQL_SCHEMA,
        ("mdb-export", "MSysRelationships"): RELATIONSHIPS,
        ("mdb-prop", "Orders"): ORDERS_PROPERTIES,
        ("mdb-prop", "Customers"): "name: (none)\n\tDefaultView: 2\n",
    }

    def run(self, program, *arguments):
        # Keyed by the program and its arguments, less the file and the -- options.
        return outputs[(program, *[word for word in arguments if word != str(self.path) and word[:2] != "--"])]

    monkeypatch.setattr(MdbTools, "run", run)
    path = tmp_path / "orders.mdb"
    path.write_bytes(b"")
    return MdbTools(path)


def test_mdbtools_tables_columns_and_keys(mdbtools):
    orders, customers = mdbtools.tables()
    assert mdbtools.format == "JET4"
    assert orders.columns == [
        Column("Order ID", "Long Integer", None, False, True),
        Column("Customer", "Text", 50, True),
        Column("Notes", "Memo/Hyperlink", 255),
        Column("Photo", "OLE"),
        Column("Files", "Unknown_0012"),
        Column("Rate", "Numeric", 18, scale=2),
    ]
    assert orders.primary_key == ["Order ID"]
    assert customers.unique == [["Customer"]]
    assert orders.indexes == [["Order ID"], ["Customer"]]


def test_mdbtools_reads_what_access_knows_of_tables_and_columns(mdbtools):
    orders, customers = mdbtools.tables()
    assert orders.properties["Description"] == "Παραγγελίες πελατών"
    assert orders.columns[0].properties == {"Caption": "Αριθμός", "Required": "no"}
    row_source = "SELECT [Customers].[Customer] FROM Customers ORDER BY [Customer];"
    assert orders.columns[1].properties["RowSource"] == row_source
    assert orders.columns[1].properties["DefaultValue"] == '"Μαρία"'
    assert orders.columns[2].properties == {}
    assert customers.properties == {"DefaultView": "2"}


def test_mdbtools_relationships(mdbtools):
    (relationship,) = mdbtools.relationships()
    assert (relationship.table, relationship.column, relationship.referenced_table) == (
        "Orders",
        "Customer",
        "Customers",
    )
    assert relationship.flags == 4096


def test_dates_mdbtools_cannot_read_are_marked_never_guessed():
    assert MdbTools.convert("DateTime", "1900-01-00 00:00:00") is UNREADABLE
    assert MdbTools.convert("DateTime", "1974-09-21 10:30:00") == "1974-09-21T10:30:00"
    assert MdbTools.convert("Boolean", 1) is True


def test_replication_ids_become_the_uuid_access_shows_from_each_form_the_readers_give():
    """mdb-json gives a GUID's 16 bytes as stored ({"$binary": base64}: Windows' GUID, its first three parts
    little-endian), mdb-export and ODBC's text "{...}" as Access shows it, pyodbc a uuid.UUID."""
    shown = "{6B29FC40-CA47-1067-B31D-00DD010662DA}"
    stored = uuid.UUID(shown).bytes_le
    expected = "6b29fc40-ca47-1067-b31d-00dd010662da"
    assert MdbTools.convert("Replication ID", {"$binary": base64.b64encode(stored).decode()}) == expected
    assert MdbTools.convert("Replication ID", shown) == expected
    assert readers.json_ready(uuid.UUID(shown)) == expected
    for garbage in [{"$binary": "not base64!"}, {"$binary": "AAAA"}, {"$oid": "x"}, "{6B29FC40}", 17]:
        with pytest.raises(AccessError, match="is not a Replication ID"):
            MdbTools.convert("Replication ID", garbage)


def column(name, type_name, size, nullable=1, remarks=None, column_def=None, decimal_digits=None):
    """A row of pyodbc's cursor.columns()."""
    known = {"remarks": remarks, "column_def": column_def, "decimal_digits": decimal_digits}
    return SimpleNamespace(column_name=name, type_name=type_name, column_size=size, nullable=nullable, **known)


class StandInCursor:
    def __init__(self, relationships_readable):
        self.relationships_readable = relationships_readable
        self.description = [("ID",), ("Name",), ("Paid",)]
        self.batches = [[(1, "Μαρία", None)], []]

    def tables(self, tableType):
        return [SimpleNamespace(table_name=name) for name in ["MSysObjects", "Customers"]]

    def columns(self, table):
        return [
            column("ID", "COUNTER", 10, nullable=0),
            column("Name", "VARCHAR", 80, remarks="Επωνυμία"),
            column("Paid", "CURRENCY", 19, column_def="0"),
            column("Rate", "DECIMAL", 12, decimal_digits=3),
        ]

    def statistics(self, table):
        # SQLStatistics' first row describes the table, not an index.
        return [
            SimpleNamespace(index_name=None, column_name=None, non_unique=None),
            SimpleNamespace(index_name="PrimaryKey", column_name="ID", non_unique=0),
            SimpleNamespace(index_name="Name", column_name="Name", non_unique=1),
        ]

    def execute(self, sql):
        if "MSysRelationships" in sql and not self.relationships_readable:
            raise StandInError("no read permission on 'MSysRelationships'")

    def fetchall(self):
        return [("r", "Orders", "Customer", "Customers", "ID", 0, 1)]

    def fetchmany(self, size):
        return self.batches.pop(0)


class StandInError(Exception):
    pass


def stand_in_pyodbc(relationships_readable=True):
    connection = SimpleNamespace(cursor=lambda: StandInCursor(relationships_readable))
    return SimpleNamespace(
        Error=StandInError,
        drivers=lambda: ["SQL Server", "Microsoft Access Driver (*.mdb, *.accdb)"],
        connect=lambda connection_string, readonly: connection,
    )


def test_odbc_maps_the_drivers_types_and_finds_the_primary_key(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pyodbc", stand_in_pyodbc())
    assert readers.access_odbc_driver() == "Microsoft Access Driver (*.mdb, *.accdb)"
    reader = Odbc(tmp_path / "registry.accdb", readers.access_odbc_driver())
    (customers,) = reader.tables()
    assert customers.columns == [
        Column("ID", "Long Integer", None, True, True),
        Column("Name", "Text", 80, False),
        Column("Paid", "Currency", None, False),
        Column("Rate", "Numeric", 12, False, scale=3),
    ]
    assert customers.primary_key == ["ID"]
    assert (customers.unique, customers.indexes) == ([], [["Name"]])
    properties = [column.properties for column in customers.columns]
    assert properties == [{}, {"Description": "Επωνυμία"}, {"DefaultValue": "0"}, {}]
    assert list(reader.rows(customers)) == [{"ID": 1, "Name": "Μαρία"}]
    assert reader.relationships()[0].referenced_table == "Customers"


def test_odbc_says_how_to_let_it_read_the_relationships(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pyodbc", stand_in_pyodbc(relationships_readable=False))
    reader = Odbc(tmp_path / "registry.accdb", readers.access_odbc_driver())
    with pytest.raises(AccessError, match="GRANT SELECT ON MSysRelationships TO Admin"):
        reader.relationships()


def test_without_mdbtools_or_a_driver_it_says_what_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(readers.shutil, "which", lambda program: None)
    monkeypatch.setattr(readers, "access_odbc_driver", lambda: None)
    path = tmp_path / "registry.accdb"
    path.write_bytes(b"")
    with pytest.raises(AccessError, match=r"^Reading Access files needs mdbtools .* neither is installed\.$"):
        open_database(path)


def access_file(tmp_path, code_page, version=0):
    """The first page of an Access file (version 0: Access 97) naming ``code_page``, hidden as Access hides it."""
    header = bytearray(126)
    header[0x3C - 0x18 : 0x3E - 0x18] = code_page.to_bytes(2, "little")
    page = bytes(0x14) + version.to_bytes(4, "little") + readers.rc4(readers.JET_HEADER_KEY, bytes(header))
    path = tmp_path / f"cp{code_page}.mdb"
    path.write_bytes(page.ljust(2048, b"\0"))
    return path


def test_access_97_text_is_read_in_the_code_page_the_file_names_else_the_projects_languages(monkeypatch, tmp_path):
    monkeypatch.delenv("MDB_JET3_CHARSET", raising=False)
    assert jet3_charset(access_file(tmp_path, 1252), "el") == ("CP1252", "the code page the file names")
    assert jet3_charset(access_file(tmp_path, 1253), "en-us") == ("CP1253", "the code page the file names")
    assert jet3_charset(access_file(tmp_path, 0), "el") == ("CP1253", readers.LANGUAGE_GUESS)
    assert jet3_charset(access_file(tmp_path, 4242), "en-us") == ("CP1252", readers.LANGUAGE_GUESS)
    assert jet3_charset(access_file(tmp_path, 1253, version=1), "el")[1] == readers.LANGUAGE_GUESS  # Unicode
    assert jet3_charset(tmp_path / "missing.mdb", "el") == ("CP1253", readers.LANGUAGE_GUESS)
    monkeypatch.setenv("MDB_JET3_CHARSET", "CP1251")
    assert jet3_charset(access_file(tmp_path, 1253), "el") == ("CP1251", "MDB_JET3_CHARSET")
