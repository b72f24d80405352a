"""Digital signatures of PDFs, with pyHanko, offline: checking an uploaded PDF's, and signing the PDFs the project
makes (files/pdf.py) with the organisation's key.

A check gives each signature its signer (the name in their certificate), its signing time (a trusted timestamp's,
else the one the signer's software wrote) and a verdict; the document's verdict is its worst signature's:
- "valid": unchanged since signing, by a signer whose certificate chains to a root in SIGNATURE_TRUST_ROOTS;
- "untrusted": unchanged, but the signer chains to no root the project trusts;
- "expired": unchanged, but the signer's certificate had expired (or was not yet valid) and no timestamp proves
  the signature older;
- "changed": the document's bytes changed after signing, or a later revision changed more than form fields and
  further signatures;
- "unsigned": a readable PDF without a signature; "malformed": not a PDF that can be read.
Revocation lists are not fetched: servers often reach no CRL or OCSP responder, and a slow one would hold the
upload. Results are plain data (JSON), kept with the file.

pyHanko takes a third of a second to import: callers import this module when they check or sign, not before.
"""

import functools
import io
import warnings

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem

from .pdf import FONT_DIR

with warnings.catch_warnings():
    # pyHanko's import warns that DSA keys are deprecated; no signer here uses one.
    warnings.filterwarnings("ignore", message="DSA is deprecated")
    from pyhanko import keys, stamp
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers, validation
    from pyhanko.sign.ades.report import AdESIndeterminate
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

VERDICTS = {
    "valid": _("Valid: signed by a signer this project trusts, and unchanged since."),
    "untrusted": _("Not trusted: the signer's certificate comes from no authority this project trusts."),
    "expired": _("Not valid: the signer's certificate had expired, or was not yet valid."),
    "changed": _("Not valid: the document was changed after it was signed."),
    "unsigned": _("Not signed."),
    "malformed": _("Not checked: the file is not a PDF that can be read."),
}
WORST_FIRST = ["changed", "expired", "untrusted", "valid"]
# The box of a visible signature, in points from the bottom left of the first page: its bottom right corner.
VISIBLE_BOX = (345, 25, 570, 85)
# What a visible signature's text may hold: Latin and Greek letters (accented too), digits, punctuation.
STAMP_CHARACTERS = [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x370, 0x400), *range(0x1F00, 0x2070)]


def check_signatures(data):
    """The verdict on the signatures of the PDF ``data`` (bytes): never an exception, whatever the bytes."""
    checked_on = timezone.now().isoformat()
    try:
        embedded = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception:  # noqa: BLE001 - a damaged file fails in many ways, each the same answer
        return {"verdict": "malformed", "checked_on": checked_on, "signatures": []}
    if not embedded:
        return {"verdict": "unsigned", "checked_on": checked_on, "signatures": []}
    context = validation_context()
    signatures = [signature_verdict(signature, context) for signature in embedded]
    verdict = min((signature["verdict"] for signature in signatures), key=WORST_FIRST.index)
    return {"verdict": verdict, "checked_on": checked_on, "signatures": signatures}


def trust_roots():
    return list(keys.load_certs_from_pemder(settings.SIGNATURE_TRUST_ROOTS))


def validation_context():
    return ValidationContext(trust_roots=trust_roots(), allow_fetching=False, revocation_mode="soft-fail")


def signature_verdict(embedded, context):
    try:
        status = validation.validate_pdf_signature(embedded, context)
    except Exception:  # noqa: BLE001 - a signature that cannot be read cannot vouch for the document
        return {"signer": "", "signed_on": None, "verdict": "changed"}
    # Later revisions may fill in forms and add signatures; anything more, or what pyHanko could not tell,
    # changed what was signed.
    level = status.modification_level
    changed_later = status.coverage != SignatureCoverageLevel.ENTIRE_FILE and (
        level is None or level > ModificationLevel.FORM_FILLING
    )
    if not (status.intact and status.valid) or changed_later:
        verdict = "changed"
    elif status.trusted:
        verdict = "valid"
    elif status.trust_problem_indic in {
        AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
        AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
        AdESIndeterminate.EXPIRED,
        AdESIndeterminate.NOT_YET_VALID,
    }:
        verdict = "expired"
    else:
        verdict = "untrusted"
    timestamp = status.timestamp_validity
    signed_on = timestamp.timestamp if timestamp else status.signer_reported_dt
    subject = status.signing_cert.subject
    return {
        "signer": subject.native.get("common_name") or subject.human_friendly,
        "signed_on": signed_on.isoformat() if signed_on else None,
        "verdict": verdict,
    }


def described(result):
    """A stored check as a page shows it: its verdicts in the project's language, its times as datetimes."""
    if not result:
        return None
    return {
        "verdict": VERDICTS[result["verdict"]],
        "checked_on": parse_datetime(result["checked_on"]),
        "signatures": [
            {
                "signer": signature["signer"],
                "signed_on": signature["signed_on"] and parse_datetime(signature["signed_on"]),
                "verdict": VERDICTS[signature["verdict"]],
            }
            for signature in result["signatures"]
        ],
    }


def organisation_signer():
    """The signer of PDF_SIGNING's PKCS#12 file, or None when it cannot be read with its password."""
    config = settings.PDF_SIGNING
    password = config.get("PASSWORD", "").encode() or None
    try:
        return signers.SimpleSigner.load_pkcs12(config.get("PKCS12", ""), passphrase=password)
    except (OSError, ValueError):
        return None


def sign_pdf(data):
    """The PDF ``data`` signed with the organisation's key (PDF_SIGNING), in a box on its first page if VISIBLE."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    # A field of its own: the PDF may bear others' signatures already.
    field_name = f"Signature{len(list(fields.enumerate_sig_fields(writer))) + 1}"
    style = None
    if settings.PDF_SIGNING.get("VISIBLE"):
        fields.append_signature_field(writer, fields.SigFieldSpec(field_name, box=VISIBLE_BOX, on_page=0))
        style = stamp.TextStampStyle(stamp_text="%(signer)s\n%(ts)s", text_box_style=TextBoxStyle(font=StampFont("")))
    signer = signers.PdfSigner(
        signers.PdfSignatureMetadata(field_name=field_name), signer=organisation_signer(), stamp_style=style
    )
    output = io.BytesIO()
    signer.sign_pdf(writer, output=output)
    return output.getvalue()


@functools.cache
def stamp_font():
    """DejaVu Sans, as the PDF's text (a Greek signer's name needs its letters), cut to STAMP_CHARACTERS and
    scaled to 1000 units per em: pyHanko 0.38 writes a font's widths in its own units, and PDF readers take them
    as thousandths of an em, so DejaVu's 2048 would space the letters twice as wide."""
    font = TTFont(FONT_DIR / "DejaVuSans.ttf")
    cut = subset.Subsetter(subset.Options(layout_features=["*"], notdef_outline=True))
    cut.populate(unicodes=STAMP_CHARACTERS)
    cut.subset(font)
    scale_upem(font, 1000)
    data = io.BytesIO()
    font.save(data)
    return data.getvalue()


class StampFont(GlyphAccumulatorFactory):
    def create_font_engine(self, writer, obj_stream=None):
        return GlyphAccumulator(
            writer=writer, font_handle=io.BytesIO(stamp_font()), font_size=self.font_size, obj_stream=obj_stream
        )
