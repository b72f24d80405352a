"""Guessing passwords: after a few failures a client is refused for that username, while the user logs in
from elsewhere (django-axes; nginx also slows login attempts per client, see deploy/)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ATTACKER, COLLEAGUE = "203.0.113.7", "198.51.100.20"


def attempt(client, url, username, password):
    return client.post(url, {"username": username, "password": password})


@pytest.fixture
def staff(django_user_model, password):
    return django_user_model.objects.create_superuser(username="alice", password=password)


@pytest.mark.parametrize("url", [reverse("login"), reverse("admin:login")])
def test_thirty_wrong_passwords_then_the_right_one_is_refused(staff, password, url):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(30):
        attempt(attacker, url, "alice", "wrong-guess")
    response = attempt(attacker, url, "alice", password)
    assert response.status_code == 429
    assert "_auth_user_id" not in attacker.session
    # The user, from their own desk, still gets in.
    colleague = Client(REMOTE_ADDR=COLLEAGUE)
    assert attempt(colleague, url, "alice", password).status_code == 302
    assert colleague.session["_auth_user_id"] == str(staff.pk)


def test_the_limit_counts_failures_not_logins(staff, password):
    """A few typos are forgiven: a good login clears the count."""
    client, url = Client(REMOTE_ADDR=COLLEAGUE), reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, url, "alice", "typo").status_code == 200
    assert attempt(client, url, "alice", password).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, url, "alice", "typo").status_code == 200
    assert attempt(client, url, "alice", password).status_code == 302


def test_the_refusal_page_says_when_to_try_again(staff):
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = attempt(client, reverse("login"), "alice", "wrong-guess")
    assert response.status_code == 429
    assert "Too many failed logins" in response.text
    assert "<title>" in response.text  # the project's page, not a bare text
