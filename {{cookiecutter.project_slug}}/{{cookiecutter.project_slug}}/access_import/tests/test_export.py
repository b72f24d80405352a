"""What an export writes of files and hyperlinks, from a stand-in reader: values no sample file has."""

import base64
import json
import os
import zlib

import pytest

from .. import export
from ..readers import AccessError, Column, Table, attachment_content

PDF = b"%PDF-1.4 a scanned deed"
PNG = b"\x89PNG\r\n\x1a\n a photo"
# What Access keeps when something is pasted into an OLE column: its own header, then an OLE object.
WRAPPED = b"\x15\x1c\x2f\x00\x02\x00\x00\x00 Paint.Picture"
DEEDS = Table(
    "Deeds",
    [
        Column("No", "Long Integer"),
        Column("Scan", "OLE"),
        Column("Files", "Unknown_0012"),
        Column("Web page", "Memo/Hyperlink"),
        Column("Folder", "Memo/Hyperlink"),
        Column("Remarks", "Memo/Hyperlink"),
        Column(
            "Kind", "Text", 20, properties={"RowSourceType": "Value List", "RowSource": '"Sale"; "Gift";"Will ""A"""'}
        ),
        Column(
            "Seal",
            "Text",
            5,
            properties={"RowSourceType": "Value List", "RowSource": "1;Red;2;Black", "ColumnCount": "2"},
        ),
    ],
    primary_key=["No"],
)
# Greek identifiers, by their names, valid or not, as Access-era registers keep them.
PEOPLE = Table(
    "People",
    [
        Column("ID", "Long Integer"),
        Column("Α.Φ.Μ.", "Text", 12),
        Column("AMKA", "Text", 11),
        Column("Ταχ. Κώδικας", "Text", 6),
        Column("ΦΠΑ", "Text", 9),  # a VAT rate, not a number of anyone's
        Column("AFM", "Long Integer"),  # a number: its leading zeros are gone, it stays one
    ],
    primary_key=["ID"],
)
# A table without a key: its files cannot say whose they are.
NOTES = Table("Notes", [Column("Text", "Text", 50), Column("Sketch", "OLE")])


def stored(data):
    return {"$binary": base64.b64encode(data).decode(), "$type": "00"}


def attachment(data, deflated=True):
    """An attachment as Access writes it: a header naming its extension, then the file; deflated or not."""
    inner = (20).to_bytes(4, "little") + bytes(16) + data
    body = zlib.compress(inner) if deflated else inner
    return (1 if deflated else 0).to_bytes(4, "little") + len(inner).to_bytes(4, "little") + body


class StandInReader:
    format = "ACE14"
    unread_properties = None
    rows_of = {
        "Deeds": [
            {
                "No": 1,
                "Scan": stored(PDF),
                "Files": 10,
                "Web page": "Town hall#https://example.org/#deeds",
                "Kind": "Gift",
            },
            {"No": 2, "Scan": stored(WRAPPED), "Files": 11, "Folder": "#..\\scans\\2.pdf#"},
            {"No": 3, "Scan": stored(PNG), "Web page": "https://example.org/#https://example.org/#"},
            {"No": 4, "Remarks": "see #2 and #3", "Kind": "Lease", "Seal": "1"},
        ],
        "Notes": [{"Text": "a", "Sketch": stored(PDF)}],
        "People": [
            {"ID": 1, "Α.Φ.Μ.": "EL 094259216", "AMKA": "01013099997", "Ταχ. Κώδικας": "104 31", "ΦΠΑ": "24%"},
            {"ID": 2, "Α.Φ.Μ.": "094259217", "AMKA": "0101309999", "Ταχ. Κώδικας": "94000", "AFM": 94259216},
            {"ID": 3, "Α.Φ.Μ.": "", "AMKA": "01013099997", "Ταχ. Κώδικας": "10431"},
        ],
    }

    def tables(self):
        return [DEEDS, NOTES, PEOPLE]

    def relationships(self):
        return []

    def rows(self, table):
        return iter(self.rows_of[table.name])

    def attachments(self, table, column):
        return [
            (10, "..\\..\\plan: first?.pdf", attachment_content(attachment(PDF))),
            (11, "", attachment_content(attachment(PNG, deflated=False))),
            (99, "lost.txt", b"a row deleted in Access"),
        ]


@pytest.fixture
def exported(monkeypatch, tmp_path):
    monkeypatch.setattr(export, "open_database", lambda path, charset: StandInReader())
    source = tmp_path / "deeds.accdb"
    source.touch()
    description = export.export(source, tmp_path / "out")
    return tmp_path / "out", description


def rows(folder, description, name):
    table = next(table for table in description["tables"] if table["name"] == name)
    lines = (folder / table["data_file"]).read_text(encoding="utf-8").splitlines()
    return table, [json.loads(line) for line in lines]


def test_the_export_is_its_owners_alone_whatever_the_umask(monkeypatch, tmp_path):
    """It holds the whole database, people's data included; a server's umask is 022."""
    monkeypatch.setattr(export, "open_database", lambda path, charset: StandInReader())
    source = tmp_path / "deeds.accdb"
    source.touch()
    previous = os.umask(0o022)
    try:
        export.export(source, tmp_path / "out")
    finally:
        os.umask(previous)
    assert (tmp_path / "out").stat().st_mode & 0o077 == 0


def test_plain_files_in_an_ole_column_become_a_table_of_files_and_the_others_are_listed(exported):
    folder, description = exported
    table, scans = rows(folder, description, "Deeds Scan")
    assert table["files_of"] == "Deeds.Scan" and table["rows"] == 2
    assert [row["Deeds"] for row in scans] == [1, 3]
    assert [(folder / row["File"]).read_bytes() for row in scans] == [PDF, PNG]
    assert [row["File"].rsplit("/", 1)[1] for row in scans] == ["deeds-1.pdf", "deeds-3.png"]
    declarations = {column["field"]: column.get("declaration") for column in table["columns"]}
    relation = 'models.ForeignKey("Deeds", models.CASCADE, verbose_name="Deeds", db_column="deeds")'
    assert declarations["deeds"] == relation
    assert declarations["file"].startswith('ProtectedFileField(_("file"), upload_to=<upload_to>')
    note = "Deeds.Scan: 2 files, now the rows of the table Deeds Scan; the values that are not plain files stay "
    assert note + "in Access, in the rows no=2." in description["notes"]


def test_attachments_become_files_of_the_rows_they_belong_to_under_names_any_system_takes(exported):
    folder, description = exported
    _, files = rows(folder, description, "Deeds Files")
    assert [row["Deeds"] for row in files] == [1, 2]
    assert [(folder / row["File"]).read_bytes() for row in files] == [PDF, PNG]
    names = [row["File"].rsplit("/", 1)[1] for row in files]
    assert names == ["plan_ first_.pdf", "file"]
    assert all((folder / row["File"]).resolve().is_relative_to(folder.resolve()) for row in files)
    note = "Deeds.Files: 2 files, now the rows of the table Deeds Files; 1 files that belong to no row stay in Access."
    assert note in description["notes"]


def test_a_table_without_a_key_keeps_its_files_in_access_listed(exported):
    folder, description = exported
    assert not any(table.get("files_of") == "Notes.Sketch" for table in description["tables"])
    assert "Notes.Sketch: an OLE object (embedded file), skipped; values left in Access: 1." in description["notes"]


def test_a_hyperlink_column_becomes_its_address_and_its_text(exported):
    folder, description = exported
    table, _ = rows(folder, description, "Deeds")
    fields = {column["field"]: column for column in table["columns"] if column["name"] in {"Web page", "Folder"}}
    assert list(fields) == ["web_page", "web_page_text", "folder", "folder_text"]
    assert fields["web_page"]["declaration"] == 'models.CharField("Web page", max_length=2048, blank=True)'
    assert fields["folder"]["declaration"] == 'models.CharField("Folder", max_length=2048, blank=True)'
    assert fields["web_page_text"]["declaration"].startswith('models.CharField("Web page: its text", max_length=2048')
    # A memo whose text only has a "#" or two stays a memo.
    remarks = next(column for column in table["columns"] if column["name"] == "Remarks")
    assert remarks["declaration"] == 'models.TextField("Remarks", blank=True)'


def test_a_value_list_becomes_a_lookup_table_with_the_values_the_rows_have_too(exported):
    """Not choices (the guidelines' W001): a lookup table, whose values change without a deploy."""
    folder, description = exported
    table, values = rows(folder, description, "Deeds Kind")
    assert (table["values_of"], table["base"]) == ("Deeds.Kind", "LookupModel")
    assert values == [{"ID": 1, "Name": "Sale"}, {"ID": 2, "Name": "Gift"}, {"ID": 3, "Name": 'Will "A"'}] + [
        {"ID": 4, "Name": "Lease"}  # not in the list, in a row: Access's "Limit To List" was off
    ]
    kind = next(column for column in rows(folder, description, "Deeds")[0]["columns"] if column["name"] == "Kind")
    assert (kind["field"], kind["references"], kind["to_column"]) == ("kind", "Deeds Kind", "Name")
    assert kind["declaration"].startswith('models.ForeignKey("DeedsKind", models.PROTECT, verbose_name="Kind"')
    assert 'to_field="name", null=True, blank=True)' in kind["declaration"]
    assert not any(note.startswith("Deeds.Kind") for note in description["notes"])
    # A list of code and name pairs stays a plain column, noted.
    assert any(note.startswith("Deeds.Seal: a lookup from the value list") for note in description["notes"])


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        ("Town hall#https://example.org/#deeds", ("https://example.org/#deeds", "Town hall")),
        ("https://example.org/#https://example.org/#", ("https://example.org/", "")),
        ("#mailto:clerk@example.org#", ("mailto:clerk@example.org", "")),
        ("Plan#..\\scans\\2.pdf##A tip", ("..\\scans\\2.pdf", "Plan")),
        ("see #2 and #3", None),
        ("no hash at all", None),
        ("##", None),
    ],
)
def test_hyperlink_parts(value, parts):
    assert export.hyperlink_parts(value) == parts


def test_an_attachment_access_did_not_write_is_refused_in_one_line():
    assert attachment_content(attachment(b"x", deflated=False)) == b"x"
    # Deflated to more than it says (a damaged file, or a bomb): never inflated past what it says.
    bomb = (1).to_bytes(4, "little") + (5).to_bytes(4, "little") + zlib.compress(bytes(10_000_000))
    for garbage in [b"", b"\x01\x00\x00\x00\x05\x00\x00\x00not deflated", attachment(b"x")[:12], bomb]:
        with pytest.raises(AccessError, match="an attachment Access did not write"):
            attachment_content(garbage)


def test_columns_named_as_greek_identifiers_become_their_fields_and_their_wrong_values_are_listed(exported):
    folder, description = exported
    table, _ = rows(folder, description, "People")
    declarations = {column["name"]: column["declaration"] for column in table["columns"] if column["field"] != "id"}
    assert declarations == {
        "Α.Φ.Μ.": 'TaxNumberField("Α.Φ.Μ.", max_length=12, blank=True)',
        "AMKA": 'SocialSecurityNumberField("AMKA", max_length=11, blank=True)',
        "Ταχ. Κώδικας": 'PostalCodeField("Ταχ. Κώδικας", max_length=6, blank=True)',
        "ΦΠΑ": 'models.CharField("ΦΠΑ", max_length=9, blank=True)',
        "AFM": 'models.IntegerField("AFM", null=True, blank=True)',
    }
    notes = [note for note in description["notes"] if note.startswith("People.")]
    wrong = "not valid ones, imported as they are for the team to correct (the form refuses them until then)"
    assert notes == [
        f"People.Α.Φ.Μ.: by its name, a TaxNumberField, kept in compact form; 1 of its values are {wrong}: "
        "id=2 ('094259217').",
        f"People.AMKA: by its name, a SocialSecurityNumberField, kept in compact form; 1 of its values are {wrong}: "
        "id=2 ('0101309999').",
        f"People.Ταχ. Κώδικας: by its name, a PostalCodeField, kept in compact form; 1 of its values are {wrong}: "
        "id=2 ('94000').",
    ]


def test_a_column_of_many_wrong_identifiers_names_the_first_and_counts_the_others(monkeypatch, tmp_path):
    reader = StandInReader()
    monkeypatch.setattr(reader, "rows_of", {**reader.rows_of, "People": [{"ID": n, "AMKA": "1"} for n in range(25)]})
    monkeypatch.setattr(export, "open_database", lambda path, charset: reader)
    (tmp_path / "people.accdb").touch()
    description = export.export(tmp_path / "people.accdb", tmp_path / "out")
    (note,) = [note for note in description["notes"] if note.startswith("People.AMKA")]
    assert "25 of its values are not valid" in note
    assert note.endswith("id=19 ('1') and 5 more.") and "id=20" not in note
