"""The documents views under Unpoly: validation passes save nothing, deleting closes the overlay."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ...core.testing import formset_data
from ...documents.models import Document

pytestmark = pytest.mark.django_db

OVERLAY = {"X-Up-Version": "3.14.3", "X-Up-Target": "main", "X-Up-Mode": "modal"}


def test_leaving_a_field_validates_without_saving(alice_client, category):
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4")
    data = {"title": "Contract", "category": category.pk, "file": upload, **formset_data("reviews")}
    response = alice_client.post(reverse("documents:create"), data, headers={**OVERLAY, "X-Up-Validate": "title"})
    assert response.status_code == 200
    assert response.context["form"].is_valid()
    assert not Document.objects.exists()


def test_a_validation_pass_shows_the_field_errors(alice_client):
    headers = {**OVERLAY, "X-Up-Validate": "title"}
    response = alice_client.post(reverse("documents:create"), {"title": ""}, headers=headers)
    assert 'id="div_id_title"' in response.text
    assert "This field is required." in response.text


def test_saving_from_the_overlay_leads_to_the_page_that_accepts_it(alice_client, category):
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4")
    data = {"title": "Contract", "category": category.pk, "file": upload, **formset_data("reviews")}
    response = alice_client.post(reverse("documents:create"), data, headers=OVERLAY)
    assert response.status_code == 302
    # The list's "New document" link accepts the overlay when it reaches this URL (up-accept-location).
    assert response.url == reverse("documents:detail", args=[Document.objects.get().pk])


def test_deleting_emits_the_event_that_dismisses_the_overlay(alice_client, document):
    response = alice_client.post(reverse("documents:delete", args=[document.pk]), headers=OVERLAY)
    assert response.status_code == 302
    # A redirect's headers never reach Unpoly: python-unpoly carries the event to the next page.
    listed = alice_client.get(response.url, headers=OVERLAY)
    (event,) = json.loads(listed["X-Up-Events"])
    assert event["type"] == "document:deleted"
    assert event["id"] == document.pk
    assert "was deleted" in listed.text
    assert not Document.objects.exists()


def test_the_list_opens_documents_and_the_form_in_overlays(alice_client, document):
    response = alice_client.get(reverse("documents:list"))
    assert f'href="{document.get_absolute_url()}" up-layer="new" up-dismiss-event="document:deleted"' in response.text
    assert f'up-accept-location="{reverse("documents:list")}$id/"' in response.text
    assert 'id="messages" class="messages" up-hungry' in response.text


def test_a_validation_pass_in_the_reviewers_formset_saves_nothing(alice_client, category, roles, other_user):
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4")
    row = {"reviewer": other_user.pk, "role": roles["Reader"].pk, "due_on": "2027-01-15"}
    data = {"title": "Contract", "category": category.pk, "file": upload, **formset_data("reviews", [row])}
    headers = {**OVERLAY, "X-Up-Validate": "reviews-0-role"}
    response = alice_client.post(reverse("documents:create"), data, headers=headers)
    assert response.status_code == 200
    assert response.context["form"].is_valid()
    # The validated field's crispy wrapper, the fragment Unpoly swaps in.
    assert 'id="div_id_reviews-0-role"' in response.text
    assert not Document.objects.exists()


def test_instant_filtering_gets_the_table_alone(alice_client, user, make_document):
    make_document(user, title="Lease 2026")
    make_document(user, title="Power bill")
    table_only = {"X-Up-Version": "3.14.3", "X-Up-Target": ".table-container", "X-Up-Mode": "root"}
    response = alice_client.get(reverse("documents:list"), {"title": "lease"}, headers=table_only)
    assert response.text.lstrip().startswith('<div class="table-container') and "Lease 2026" in response.text
    assert "Power bill" not in response.text
    assert 'id="id_title"' not in response.text and 'id="main-nav"' not in response.text
