"""Acting as a person whose account the identity provider made: the banner, the audit fields and the history."""

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse

from ...core.current_user import CurrentRequestMiddleware
from ...core.tests.models import Note
from ..middleware import ImpersonationMiddleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def maria(rf, settings):
    """Maria's account, as her first sign-in through the provider made it (views.py has checked her ID token)."""
    settings.IDENTITY_PROVIDER = {"CREATE_USERS": True}
    claims = {"preferred_username": "maria", "given_name": "Μαρία", "family_name": "Παπαδοπούλου"}
    return authenticate(rf.get("/"), identity_claims=claims)


def test_a_superuser_acting_as_a_provider_made_account_is_named_behind_it(client, django_user_model, maria):
    root = django_user_model.objects.create_superuser(username="root", password="x")
    client.force_login(root)
    client.post(reverse("hijack:acquire"), {"user_pk": maria.pk, "next": "/"})
    assert "You, root, are acting as Μαρία Παπαδοπούλου" in client.get("/").text
    link = maria.external_identities.get()
    assert (link.created_by, link.history.get().history_user) == (maria, maria)
    # What is saved while acting as her names the superuser, as every save under impersonation does.
    request = client.get("/").wsgi_request
    note = CurrentRequestMiddleware(ImpersonationMiddleware(save_a_note))(request)
    assert (request.user, note.created_by, note.history.get().history_user) == (maria, root, root)


def save_a_note(request):
    return Note.objects.create(title="checked")
