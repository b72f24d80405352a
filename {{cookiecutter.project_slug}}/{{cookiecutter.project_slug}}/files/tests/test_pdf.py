import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from ...core.current_user import acting_as
from ...core.tests.models import Note
from ..pdf import render_pdf

pytestmark = pytest.mark.django_db


def test_a_template_becomes_a_pdf_whose_greek_text_reads_back(user):
    user.first_name, user.last_name = "Ελένη", "Παπαδοπούλου"
    user.save()
    with acting_as(user):
        note = Note.objects.create(title="Σημείωμα")
    with translation.override("el"):
        pdf = render_pdf("partials/_audit_rows.html", {"object": note})
    assert pdf.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Δημιουργία" in text and "Τροποποίηση" in text
    assert str(user) in text


def test_a_pdf_names_its_language_and_its_title_which_readers_show(user):
    with acting_as(user):
        note = Note.objects.create(title="Σημείωμα")
    with translation.override("el"):
        reader = PdfReader(io.BytesIO(render_pdf("partials/_audit_rows.html", {"object": note, "title": "Σημείωμα"})))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "el"
    assert reader.metadata.title == "Σημείωμα"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True


def test_making_a_pdf_logs_nothing(user, caplog):
    with acting_as(user):
        note = Note.objects.create(title="Σημείωμα")
    render_pdf("partials/_audit_rows.html", {"object": note})
    assert caplog.records == []
