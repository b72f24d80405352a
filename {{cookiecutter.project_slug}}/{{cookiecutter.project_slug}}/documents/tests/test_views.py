import datetime
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from ...core.testing import assert_query_count_does_not_grow, formset_data
from ...documents.models import Category, Document, Review, ReviewRole

pytestmark = pytest.mark.django_db

# The reviews formset's management form, with no rows: documents/tests/test_reviews.py posts rows.
NO_REVIEWS = formset_data("reviews")


def test_anonymous_users_are_sent_to_login(client, document):
    for name in ["list", "create"]:
        response = client.get(reverse(f"documents:{name}"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    response = client.get(document.get_download_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_create_records_the_owner_and_stores_a_protected_dated_file(alice_client, user, category, media_root):
    upload = SimpleUploadedFile("Σύμβαση 2026.pdf", b"%PDF-1.4 body")
    data = {"title": "Contract", "category": category.pk, "file": upload, **NO_REVIEWS}
    response = alice_client.post(reverse("documents:create"), data, follow=True)
    document = Document.objects.get()
    assert response.redirect_chain[-1][0] == document.get_absolute_url()
    assert "Document “Contract” was created." in response.text
    assert document.created_by == user
    assert document.modified_by == user
    assert document.file.name.startswith("protected/documents/")
    assert document.file.name.endswith("/symvasi-2026.pdf")
    assert (media_root / document.file.name).read_bytes() == b"%PDF-1.4 body"


def test_invalid_form_is_shown_again_with_errors(alice_client):
    response = alice_client.post(reverse("documents:create"), {"title": ""})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"title", "category", "file"}
    assert not Document.objects.exists()


def test_update_records_the_editor(client, document, other_user, django_user_model):
    editor = django_user_model.objects.create_superuser(username="editor", password="x")
    client.force_login(editor)
    response = client.post(
        reverse("documents:update", args=[document.pk]),
        {"title": "Renamed", "category": document.category_id, **NO_REVIEWS},
        follow=True,
    )
    assert "Document “Renamed” was updated." in response.text
    document.refresh_from_db()
    assert document.title == "Renamed"
    assert document.modified_by == editor
    assert document.created_by.username == "alice"


def test_delete_removes_the_row_and_says_so(alice_client, document):
    response = alice_client.post(reverse("documents:delete", args=[document.pk]), follow=True)
    assert "was deleted" in response.text
    assert not Document.objects.exists()


def test_other_users_get_404_everywhere(client, other_user, document):
    client.force_login(other_user)
    for name in ["detail", "update", "delete", "download"]:
        assert client.get(reverse(f"documents:{name}", args=[document.pk])).status_code == 404
    assert document.title not in client.get(reverse("documents:list")).text


def test_list_shows_own_documents(alice_client, document):
    response = alice_client.get(reverse("documents:list"))
    assert document.title in response.text
    assert document.get_download_url() in response.text


def test_the_history_page_shows_who_changed_which_field_from_what_to_what(alice_client, document, user):
    other = Category.objects.create(name="Invoices")
    data = {"title": "Renamed", "category": other.pk, **NO_REVIEWS}
    assert alice_client.post(reverse("documents:update", args=[document.pk]), data).status_code == 302
    response = alice_client.get(reverse("documents:history", args=[document.pk]))
    entries = response.context["entries"]
    assert [entry["record"].history_type for entry in entries] == ["~", "+"]
    assert entries[0]["record"].history_user == user
    assert entries[0]["changes"] == [("title", "Lease", "Renamed"), ("category", str(document.category), "Invoices")]
    assert "<td>Lease</td><td>Renamed</td>" in response.text.replace("\n", "")


@pytest.mark.parametrize(("language", "label"), [("el", "Ελεγκτής"), ("en", "Reviewer")])
def test_the_cover_sheet_is_a_pdf_of_the_document_and_its_reviewers_in_greek_too(
    alice_client, document, other_user, language, label
):
    document.title = "Μίσθωση γραφείου «Αθηνάς»"
    document.save()
    role = ReviewRole.objects.create(name="Έγκριση")
    Review.objects.create(document=document, reviewer=other_user, role=role, due_on=datetime.date(2026, 12, 1))
    with translation.override(language):
        response = alice_client.get(reverse("documents:cover_sheet", args=[document.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    shown = [document.title, str(document.category), document.file_name, other_user.username, "Έγκριση", label]
    assert [value for value in shown if value not in text] == []


def test_the_list_downloads_only_the_rows_the_user_may_see_as_filtered(alice_client, user, other_user, make_document):
    make_document(user, title="Μίσθωση γραφείου")
    make_document(user, title="Τιμολόγιο")
    make_document(other_user, title="Μίσθωση αποθήκης")
    response = alice_client.get(reverse("documents:list"), {"title": "Μίσθωση", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert [row[0] for row in rows[1:]] == ["Μίσθωση γραφείου"]
    assert len(rows[0]) == 4, "the download column stays out"


def test_list_query_count_does_not_grow_with_rows(alice_client, user, make_document):
    assert_query_count_does_not_grow(alice_client, reverse("documents:list"), lambda: make_document(user))


def test_owner_download_streams_the_file_in_development(alice_client, document, sendfile_backend):
    sendfile_backend("development")
    response = alice_client.get(document.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 lease"
    assert 'attachment; filename="misthosi.pdf"' in response["Content-Disposition"]


def test_owner_download_is_handed_to_nginx_in_production(alice_client, document, sendfile_backend, settings):
    sendfile_backend("nginx")
    response = alice_client.get(document.get_download_url())
    assert response.status_code == 200
    relative = document.file.name.removeprefix("protected/")
    assert response["X-Accel-Redirect"] == f"{settings.SENDFILE_URL}/{relative}"
    assert response.content == b""


@pytest.mark.parametrize("name", ["page.html", "drawing.svg", "setup.exe", "no-extension"])
def test_upload_of_a_file_type_the_project_does_not_accept_is_refused(alice_client, category, name):
    upload = SimpleUploadedFile(name, b"<script>alert(1)</script>")
    response = alice_client.post(reverse("documents:create"), {"title": "T", "category": category.pk, "file": upload})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not Document.objects.exists()


def test_the_accepted_file_types_are_a_setting(alice_client, category, settings):
    settings.ALLOWED_UPLOAD_EXTENSIONS = ["svg"]
    upload = SimpleUploadedFile("drawing.svg", b"<svg/>")
    data = {"title": "T", "category": category.pk, "file": upload, **NO_REVIEWS}
    response = alice_client.post(reverse("documents:create"), data)
    assert response.status_code == 302
    assert Document.objects.get().file.name.endswith("/drawing.svg")


def test_dev_setup_loads_the_example_categories_once(development_database):
    call_command("dev_setup")
    call_command("dev_setup")
    fixture = Path(__file__).parents[1] / "fixtures" / "example_data.json"
    rows = json.loads(fixture.read_text(encoding="utf-8"))
    names = [row["fields"]["name"] for row in rows if row["model"] == "documents.category"]
    assert sorted(Category.objects.values_list("name", flat=True)) == sorted(names) and len(names) == 3


@pytest.mark.parametrize("page", ["documents:update", "admin:documents_document_change"])
def test_the_current_file_links_the_download_view_never_the_media_path(admin_client, document, page):
    """Protected files are not served as media: the form's "Currently" link is the permission-checked view, and
    it shows the file's name, not where it is stored."""
    html = admin_client.get(reverse(page, args=[document.pk])).text
    assert f'href="{document.get_download_url()}"' in html
    assert settings.MEDIA_URL not in html
    assert document.file.name not in html and f">{document.file_name}</a>" in html


def test_each_download_link_of_the_list_names_its_document(alice_client, user, make_document):
    """2.4.4: every row's link read "Download", with nothing to tell them apart."""
    for title in ("Lease 2025", "Lease 2026"):
        make_document(user, title=title)
    page = alice_client.get(reverse("documents:list")).text
    for title in ("Lease 2025", "Lease 2026"):
        assert f'Download<span class="visually-hidden">: {title}</span></a>' in page
