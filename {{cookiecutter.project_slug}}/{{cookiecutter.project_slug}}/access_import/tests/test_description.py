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


PEOPLE = Table(
    "Πρόσωπα",
    [
        Column("Κωδ", "Long Integer", properties={"Caption": "Κωδικός", "DefaultValue": "0"}),
        Column(
            "Επών",
            "Text",
            50,
            properties={"Caption": "Επώνυμο", "Description": "Όπως στην ταυτότητα", "DefaultValue": '"Παπαδόπουλος"'},
        ),
        Column(
            "Πόλη",
            "Long Integer",
            properties={
                "RowSourceType": "Table/Query",
                "BoundColumn": "1",
                "RowSource": ("SELECT [Πόλεις].[Κωδικός], [Πόλεις].[Όνομα] FROM Πόλεις ORDER BY [Όνομα];"),
            },
        ),
        Column("Φύλο", "Text", 1, properties={"RowSourceType": "Value List", "RowSource": '"Α";"Γ"'}),
        Column("Βαθμός", "Integer", properties={"DefaultValue": "3", "Caption": 'Βαθμός "Α"'}),
        Column("Ενεργός", "Boolean", properties={"DefaultValue": "Yes"}),
        Column("Γράφτηκε", "DateTime", properties={"DefaultValue": "=Date()"}),
        Column("Αμοιβή", "Currency", properties={"DefaultValue": "12.5"}),
        Column("Ποσοστό", "Numeric", 5, scale=2),
        Column("Συντελεστής", "Numeric"),
    ],
    primary_key=["Κωδ"],
    indexes=[["Κωδ"], ["Επών"], ["Επών", "Βαθμός"], ["Πόλη"]],
)
TOWNS = Table("Πόλεις", [Column("Κωδικός", "Long Integer"), Column("Όνομα", "Text", 50)], ["Κωδικός"])
PEOPLE_STATS = {
    "Πρόσωπα": {"rows": 0, "data_file": "data/prosopa.jsonl", "columns": {}},
    "Πόλεις": {"rows": 0, "data_file": "data/poleis.jsonl", "columns": {}},
}


@pytest.fixture
def people():
    return describe([PEOPLE, TOWNS], [], PEOPLE_STATS, {"file": "Πρόσωπα.accdb", "format": "ACE14"})


def test_captions_descriptions_and_constant_defaults_become_the_fields(people):
    columns = fields(people, "Πρόσωπα")
    assert columns["Επών"]["declaration"] == (
        'models.CharField("Επώνυμο", max_length=50, blank=True, help_text="Όπως στην ταυτότητα", '
        'default="Παπαδόπουλος")'
    )
    grade = 'models.SmallIntegerField("Βαθμός \\"Α\\"", null=True, blank=True, default=3)'
    assert columns["Βαθμός"]["declaration"] == grade
    assert columns["Ενεργός"]["declaration"] == 'models.BooleanField("Ενεργός", default=True)'
    assert columns["Αμοιβή"]["declaration"].endswith('default=Decimal("12.5"))')
    assert "default" not in columns["Γράφτηκε"]["declaration"]
    assert "max_digits=5, decimal_places=2," in columns["Ποσοστό"]["declaration"]  # Access's precision
    assert "max_digits=28, decimal_places=10," in columns["Συντελεστής"]["declaration"]  # none given: room for any
    assert "Πρόσωπα.Γράφτηκε: the default value =Date() is not a constant; left out." in people["notes"]


def test_a_lookup_that_selects_from_another_table_becomes_a_foreign_key_and_a_value_list_a_note(people):
    town = fields(people, "Πρόσωπα")["Πόλη"]
    assert (town["field"], town["references"], town["to_column"]) == ("poli", "Πόλεις", "Κωδικός")
    assert town["declaration"].startswith('models.ForeignKey("Poleis", models.PROTECT, verbose_name="Πόλη"')
    assert fields(people, "Πρόσωπα")["Φύλο"]["declaration"].startswith("models.CharField(")
    assert any(note.startswith("Πρόσωπα.Φύλο: a lookup from the value list") for note in people["notes"])


def test_indexes_that_allow_duplicates_serve_the_lists_unless_a_key_or_a_relation_has_one(people):
    assert table(people, "Πρόσωπα")["indexes"] == [["epon"], ["epon", "vathmos"]]
