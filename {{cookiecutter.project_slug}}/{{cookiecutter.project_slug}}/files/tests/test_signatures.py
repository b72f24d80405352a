import datetime
import io

import pytest
from django.core import checks
from django.utils import timezone
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from ..pdf import render_pdf
from ..signatures import VISIBLE_BOX, check_signatures
from .authority import PASSWORD, Authority, signed_pdf, unsigned_pdf


@pytest.fixture(scope="module")
def authorities(tmp_path_factory):
    """Our authority, whose root the project trusts, and another; signers of each (made once: keys are slow)."""
    folder = tmp_path_factory.mktemp("authorities")
    ours, theirs = Authority(folder), Authority(folder, "Other Root CA")
    return {
        "root": ours.root_file,
        "maria": ours.signer("Μαρία Παπαδοπούλου"),
        "nikos": ours.signer("Νίκος Γεωργίου"),
        "expired": ours.signer("Expired Signer", days=(-30, -2)),
        "stranger": theirs.signer("Stranger"),
    }


@pytest.fixture
def trusting(settings, authorities):
    settings.SIGNATURE_TRUST_ROOTS = [str(authorities["root"])]
    return authorities


def test_a_pdf_signed_by_a_trusted_signer_is_valid_and_says_who_signed_and_when(settings, trusting):
    before = timezone.now().replace(microsecond=0)
    result = check_signatures(signed_pdf(settings, trusting["maria"]))
    assert result["verdict"] == "valid"
    (signature,) = result["signatures"]
    assert (signature["signer"], signature["verdict"]) == ("Μαρία Παπαδοπούλου", "valid")
    signed_on = datetime.datetime.fromisoformat(signature["signed_on"])
    assert before <= signed_on <= timezone.now()


def test_a_signer_whose_authority_the_project_does_not_trust_is_untrusted(settings, trusting):
    assert check_signatures(signed_pdf(settings, trusting["stranger"]))["verdict"] == "untrusted"
    settings.SIGNATURE_TRUST_ROOTS = []
    assert check_signatures(signed_pdf(settings, trusting["maria"]))["verdict"] == "untrusted"


def test_a_signer_whose_certificate_had_expired_is_not_valid(settings, trusting):
    assert check_signatures(signed_pdf(settings, trusting["expired"]))["verdict"] == "expired"


def changed_bytes(pdf):
    """The signed ``pdf`` with one digit of its creation date changed: bytes the signature covers."""
    at = pdf.index(b"/CreationDate (D:") + len(b"/CreationDate (D:")
    return pdf[:at] + (b"1" if pdf[at : at + 1] != b"1" else b"2") + pdf[at + 1 :]


def turned_page(pdf):
    """The signed ``pdf`` with a later revision that turns its page: a change after signing, bytes intact."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)
    writer.update_container(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


@pytest.mark.parametrize("change", [changed_bytes, turned_page])
def test_a_pdf_changed_after_signing_is_not_valid(settings, trusting, change):
    assert check_signatures(change(signed_pdf(settings, trusting["maria"])))["verdict"] == "changed"


def test_a_second_signature_leaves_the_first_valid(settings, trusting):
    twice = signed_pdf(settings, trusting["nikos"], signed_pdf(settings, trusting["maria"]))
    result = check_signatures(twice)
    assert [signature["signer"] for signature in result["signatures"]] == ["Μαρία Παπαδοπούλου", "Νίκος Γεωργίου"]
    assert [signature["verdict"] for signature in result["signatures"]] == ["valid", "valid"]


def test_the_worst_signature_gives_the_verdict(settings, trusting):
    twice = signed_pdf(settings, trusting["stranger"], signed_pdf(settings, trusting["maria"]))
    assert check_signatures(twice)["verdict"] == "untrusted"


@pytest.mark.parametrize(
    ("data", "verdict"),
    [
        (unsigned_pdf(), "unsigned"),
        (b"", "malformed"),
        (b"not a PDF at all", "malformed"),
        (b"%PDF-1.7\n%%EOF\n", "malformed"),
        (bytes(range(256)) * 40, "malformed"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF", "malformed"),
    ],
)
def test_an_unsigned_or_malformed_file_gets_a_verdict_never_an_exception(trusting, data, verdict):
    assert check_signatures(data)["verdict"] == verdict


def test_a_truncated_signed_pdf_is_malformed(settings, trusting):
    signed = signed_pdf(settings, trusting["maria"])
    assert check_signatures(signed[: len(signed) // 2])["verdict"] == "malformed"


@pytest.mark.parametrize("visible", [True, False])
def test_the_pdfs_the_project_makes_are_signed_with_the_organisations_key(settings, trusting, visible):
    settings.PDF_SIGNING = {"PKCS12": str(trusting["maria"]), "PASSWORD": PASSWORD, "VISIBLE": visible}
    pdf = render_pdf("partials/_audit_rows.html", {"title": "Απόφαση"})
    assert check_signatures(pdf)["verdict"] == "valid"
    (embedded,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    box = [float(number) for number in embedded.sig_field["/Rect"]]
    assert box == ([float(number) for number in VISIBLE_BOX] if visible else [0.0] * 4)
    if visible:
        # The signer's name in the box: its letters as wide as the font draws them (thousandths of an em).
        assert 0 < max(stamp_font_widths(embedded.sig_field["/AP"]["/N"])) < 1000


def stamp_font_widths(appearance):
    """The glyph widths (/W) of the fonts a signature's appearance, or the forms inside it, write with."""
    resources = appearance.get_object().get("/Resources", {})
    for font in resources.get("/Font", {}).values():
        for descendant in font.get_object()["/DescendantFonts"]:
            for entry in descendant.get_object()["/W"]:
                if isinstance(entry, list):
                    yield from entry
    for form in resources.get("/XObject", {}).values():
        yield from stamp_font_widths(form)


def test_without_a_key_the_pdfs_are_not_signed(settings):
    settings.PDF_SIGNING = {}
    assert check_signatures(render_pdf("partials/_audit_rows.html", {"title": "Απόφαση"}))["verdict"] == "unsigned"


def errors():
    return {message.id: message.msg for message in checks.run_checks() if message.id.startswith("files.")}


def test_a_key_or_a_root_the_server_cannot_use_stops_the_start(settings, trusting, tmp_path):
    settings.PDF_SIGNING = {"PKCS12": str(trusting["maria"]), "PASSWORD": PASSWORD}
    assert errors() == {}
    settings.PDF_SIGNING["PASSWORD"] = "wrong"
    assert "is no PKCS#12 file that opens with its PASSWORD" in errors()["files.E002"]
    settings.PDF_SIGNING = {"PKCS12": str(tmp_path / "missing.p12"), "PASSWORD": PASSWORD}
    assert "files.E002" in errors()
    settings.PDF_SIGNING = {}
    (tmp_path / "garbage.pem").write_text("not a certificate")
    for roots in [[str(tmp_path / "missing.pem")], [str(tmp_path / "garbage.pem")]]:
        settings.SIGNATURE_TRUST_ROOTS = roots
        assert "SIGNATURE_TRUST_ROOTS" in errors()["files.E001"]
