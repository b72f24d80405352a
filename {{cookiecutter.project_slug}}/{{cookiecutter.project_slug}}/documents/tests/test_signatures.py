"""An uploaded PDF's signatures: checked on upload and on demand, kept with the document, shown on its page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from ...files.tests.authority import Authority, signed_pdf
from ..models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def authority(tmp_path_factory):
    folder = tmp_path_factory.mktemp("authority")
    ours = Authority(folder)
    return {"root": ours.root_file, "maria": ours.signer("Μαρία Παπαδοπούλου")}


@pytest.fixture
def decision(settings, authority):
    """A PDF Maria signed; PDF_SIGNING is put back, so that the project's own PDFs stay unsigned."""
    pdf = signed_pdf(settings, authority["maria"])
    settings.PDF_SIGNING = {}
    return pdf


def upload(client, category, name, content):
    data = {"title": "Decision", "category": category.pk, "file": SimpleUploadedFile(name, content)}
    data.update({"reviews-TOTAL_FORMS": 0, "reviews-INITIAL_FORMS": 0})
    response = client.post(reverse("documents:create"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return Document.objects.get()


def test_an_uploaded_signed_pdf_is_checked_and_its_page_says_so_in_greek(
    alice_client, category, decision, settings, authority
):
    settings.SIGNATURE_TRUST_ROOTS = [str(authority["root"])]
    document = upload(alice_client, category, "Απόφαση.pdf", decision)
    assert document.file_signature["verdict"] == "valid"
    assert document.file_signature["signatures"][0]["signer"] == "Μαρία Παπαδοπούλου"
    with translation.override("el"):
        page = alice_client.get(document.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="el").text
    assert "Έγκυρη" in page and "Μαρία Παπαδοπούλου" in page


def test_checking_again_after_the_signers_authority_is_trusted_updates_the_verdict(
    alice_client, category, decision, settings, authority
):
    document = upload(alice_client, category, "decision.pdf", decision)
    assert document.file_signature["verdict"] == "untrusted"
    settings.SIGNATURE_TRUST_ROOTS = [str(authority["root"])]
    url = reverse("documents:check_signature", args=[document.pk])
    assert alice_client.get(url).status_code == 405
    assert alice_client.post(url).url == document.get_absolute_url()
    document.refresh_from_db()
    assert document.file_signature["verdict"] == "valid"
    assert document.history.first().file_signature["verdict"] == "valid"


def test_another_users_document_is_not_checked(client, category, decision, django_user_model, alice_client):
    document = upload(alice_client, category, "decision.pdf", decision)
    client.force_login(django_user_model.objects.create_user("bob"))
    assert client.post(reverse("documents:check_signature", args=[document.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "verdict"),
    [("broken.pdf", b"%PDF-1.7 cut short", "malformed"), ("notes.txt", b"plain text", None)],
)
def test_a_broken_pdf_is_answered_and_a_file_that_is_no_pdf_is_not_checked(
    alice_client, category, name, content, verdict
):
    document = upload(alice_client, category, name, content)
    assert (document.file_signature or {}).get("verdict") == verdict
    assert alice_client.get(document.get_absolute_url()).status_code == 200
