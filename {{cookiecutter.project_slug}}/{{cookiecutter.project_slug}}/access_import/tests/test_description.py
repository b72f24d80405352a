"""From Access's tables to the models' names and fields: the part of an export that needs no Access file."""

import pytest

from ..description import class_name, describe, python_name, unique_name
from ..readers import Column, Relationship, Table

CUSTOMERS = Table(
    "Πελάτες",
    [
        Column("Κωδικός", "Long Integer", autonumber=True),
        Column("Επωνυμία", "Text", 80, required=True),
        Column("Κατηγορία", "Long Integer"),
        Column("ID", "Text", 20),
        Column("Φωτογραφία", "OLE"),
        Column("Γεννήθηκε", "DateTime"),
        Column("Τελευταία επίσκεψη", "DateTime"),
        Column("Υπόλοιπο", "Currency"),
        Column("Ενεργός", "Boolean"),
    ],
    primary_key=["Κωδικός"],
)
CATEGORIES = Table("Κατηγορίες", [Column("Κωδικός", "Long Integer"), Column("Όνομα", "Text", 50)], ["Κωδικός"])
ORDER_LINES = Table(
    "Order Lines",
    [Column("Order", "Long Integer"), Column("Line", "Integer"), Column("Customer", "Long Integer")],
    primary_key=["Order", "Line"],
)
RELATIONSHIPS = [
    Relationship("r1", "Πελάτες", "Κατηγορία", "Κατηγορίες", "Κωδικός", 0x1000, 1),
    Relationship("r2", "Order Lines", "Customer", "Πελάτες", "Κωδικός", 0, 1),
    Relationship("r3", "Order Lines", "Order", "Orders", "ID", 0, 1),  # a table not exported: left out
    Relationship("r4", "Order Lines", "Line", "Πελάτες", "Επωνυμία", 0, 1),  # not unique there
]
STATS = {
    "Πελάτες": {
        "rows": 2,
        "data_file": "data/pelates.jsonl",
        "columns": {
            "Γεννήθηκε": {"values": 2},
            "Τελευταία επίσκεψη": {"values": 2, "has_time": True},
            "Φωτογραφία": {"values": 1},
        },
    },
    "Κατηγορίες": {
        "rows": 2,
        "data_file": "data/katigories.jsonl",
        "columns": {
            "Όνομα": {"values": 2, "unique": True, "shortest": 5, "longest": 9},
        },
    },
    "Order Lines": {"rows": 0, "data_file": "data/order_lines.jsonl", "columns": {}},
}


@pytest.fixture
def description():
    tables = [CUSTOMERS, CATEGORIES, ORDER_LINES]
    return describe(tables, RELATIONSHIPS, STATS, {"file": "Μητρώο.mdb", "format": "JET4"})


def table(description, name):
    return next(table for table in description["tables"] if table["name"] == name)


def fields(description, name):
    return {column["name"]: column for column in table(description, name)["columns"]}


@pytest.mark.parametrize(
    "access_name, expected",
    [
        ("Id No", "id_no"),
        ("Ημερομηνία Γέννησης", "imerominia_gennisis"),
        ("2nd address", "n2nd_address"),
        ("%", "column"),
    ],
)
def test_access_names_become_ascii_snake_case(access_name, expected):
    assert python_name(access_name) == expected


def test_names_taken_keywords_and_the_models_own_attributes_get_another():
    taken = {"name"}
    assert [unique_name(name, taken) for name in ["name", "class", "objects", "name"]] == [
        "name_2",
        "class_value",
        "objects_2",
        "name_3",
    ]


def test_tables_keep_their_access_names_as_verbose_name_and_get_the_apps_own_db_table(description):
    customers = table(description, "Πελάτες")
    assert (customers["class_name"], customers["verbose_name"]) == ("Pelates", "Πελάτες")
    # None: Django's <app>_<model>, so that two Access files with the same table names import side by side.
    assert customers["db_table"] is None
    assert table(description, "Order Lines")["class_name"] == "OrderLines"


@pytest.mark.parametrize(
    ("access_name", "expected"),
    [
        ("TableIgnoreNulls1", "TableIgnoreNulls1"),
        ("tblCustomers", "TblCustomers"),
        ("ORDER_LINES", "OrderLines"),
        ("order lines", "OrderLines"),
        ("Πελάτες Καταστήματος", "PelatesKatastimatos"),
        ("ΠΕΛΑΤΕΣ", "Pelates"),
        ("2024 Orders", "AccessTable2024Orders"),
        ("Meta", "MetaTable"),
        ("Table", "TableTable"),  # the name of the app's Table class
        ("!!!", "AccessTable"),
    ],
)
def test_class_names_keep_the_access_names_words(access_name, expected):
    assert class_name(access_name, set()) == expected


def test_an_integer_key_becomes_the_id_and_other_keys_unique_fields(description):
    assert fields(description, "Πελάτες")["Κωδικός"]["field"] == "id"
    assert table(description, "Πελάτες")["key_fields"] == ["id"]
    lines = table(description, "Order Lines")
    assert lines["key_fields"] == ["order", "line"]
    assert lines["unique_together"] == ["order", "line"]
    # Not the key: its name says where it came from.
    assert fields(description, "Πελάτες")["ID"]["field"] == "access_id"


def test_field_types_follow_access_types_and_the_data(description):
    customer = fields(description, "Πελάτες")
    assert customer["Επωνυμία"]["declaration"] == 'models.CharField("Επωνυμία", max_length=80)'
    assert customer["ID"]["declaration"] == 'models.CharField("ID", max_length=20, blank=True)'
    assert customer["Γεννήθηκε"]["declaration"] == 'models.DateField("Γεννήθηκε", null=True, blank=True)'
    assert customer["Τελευταία επίσκεψη"]["declaration"].startswith('models.DateTimeField("Τελευταία επίσκεψη"')
    assert "max_digits=19, decimal_places=4" in customer["Υπόλοιπο"]["declaration"]
    assert customer["Ενεργός"]["declaration"] == 'models.BooleanField("Ενεργός", default=False)'


def test_relationships_become_foreign_keys_to_lookup_models(description):
    assert table(description, "Κατηγορίες")["base"] == "LookupModel"
    assert fields(description, "Κατηγορίες")["Όνομα"]["field"] == "name"
    category = fields(description, "Πελάτες")["Κατηγορία"]
    assert category["declaration"] == (
        'models.ForeignKey("Katigories", models.CASCADE, verbose_name="Κατηγορία", db_column="katigoria", '
        "null=True, blank=True)"
    )
    customer = fields(description, "Order Lines")["Customer"]
    assert customer["declaration"].startswith('models.ForeignKey("Pelates", models.PROTECT,')


def test_what_cannot_be_mapped_is_noted_one_line_each(description):
    assert fields(description, "Πελάτες")["Φωτογραφία"]["field"] is None
    assert description["notes"] == [
        "Order Lines.Line -> Πελάτες: refers to a column that is not unique, so it stays a plain column.",
        "Πελάτες.Φωτογραφία: an OLE object (embedded file), skipped; values left in Access: 1.",
    ]
