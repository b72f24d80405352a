"""An access request (manage.py personal_data) finds a person's documents and reviews, and their old versions."""

import datetime
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from ...core.current_user import acting_as
from ..models import Review

pytestmark = pytest.mark.django_db


def test_a_users_documents_and_reviews_are_found_with_their_history(tmp_path, make_document, user, other_user, roles):
    ours, theirs = make_document(user, title="Ours"), make_document(other_user, title="Theirs")
    with acting_as(other_user):
        review = Review.objects.create(
            document=theirs, reviewer=user, role=roles["Reader"], due_on=datetime.date(2027, 1, 4)
        )
        review.reviewer = other_user  # handed on: only the history still names alice
        review.save()
    output = tmp_path / "alice.json"
    call_command("personal_data", str(output), "--user", user.username, stdout=io.StringIO())
    tables = json.loads(output.read_text(encoding="utf-8"))["tables"]
    documents = next(rows for title, rows in tables.items() if title.endswith("(documents.Document)"))
    assert [row["id"] for row in documents] == [ours.pk]
    assert not any(title.endswith("(documents.Review)") for title in tables)
    (reviews,) = [rows for title, rows in tables.items() if "(documents.Review)" in title]
    with translation.override(settings.LANGUAGE_CODE):
        created = str(dict(Review.history.model._meta.get_field("history_type").choices)["+"])
    assert [(row["reviewer"], row["document"], row["change"]) for row in reviews] == [("alice", "Theirs", created)]
