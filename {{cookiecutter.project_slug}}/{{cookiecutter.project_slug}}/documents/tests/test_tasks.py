"""A new document's reviewers are told by mail, from the background worker (documents/tasks.py)."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from ...core.testing import sends_mail
from ..models import Document
from .test_reviews import DUE, new_document, review

# The worker closes the database connection between tasks (background/tests/test_tasks.py).
pytestmark = pytest.mark.django_db(transaction=True)


@sends_mail
def test_the_reviewers_of_a_document_made_on_its_page_get_a_mail_from_the_worker(
    alice_client, category, roles, django_user_model
):
    bob = django_user_model.objects.create_user("bob", email="bob@example.org")
    carol = django_user_model.objects.create_user("carol")  # no address: not mailed
    data = new_document(category, review(bob, roles["Approver"]), review(carol, roles["Reader"], DUE))
    alice_client.post(reverse("documents:create"), data)
    document = Document.objects.get()
    assert mail.outbox == []  # the request only enqueued it

    call_command("db_worker", batch=True, verbosity=0)
    (message,) = mail.outbox
    assert message.to == ["bob@example.org"]
    assert message.subject == "Document “Lease” was created."
    assert message.body == f"http://testserver{document.get_absolute_url()}"


def test_documents_made_by_scripts_enqueue_nothing(make_document, user):
    make_document(user)
    assert not DBTaskResult.objects.exists()
