"""manage.py smoke_session: the session the deploy checks a release's pages with, as DEPLOY_SMOKE_USER."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def smoke_session(*arguments):
    output = io.StringIO()
    call_command("smoke_session", *arguments, stdout=output)
    return output.getvalue().split()


def test_the_session_logs_the_user_in_for_five_minutes_and_ends(settings):
    user = get_user_model().objects.create_user("smoke", password="a-long-password-for-smoke")
    settings.DEPLOY_SMOKE_USER = "smoke"
    name, value = smoke_session()
    client = Client()
    client.cookies[name] = value
    assert client.get("/").wsgi_request.user == user
    expires = Session.objects.get(session_key=value).expire_date
    assert timezone.now() < expires <= timezone.now() + timedelta(minutes=5)
    smoke_session("--end", value)
    assert not Session.objects.filter(session_key=value).exists()


@pytest.mark.parametrize(
    ("username", "user", "said"),
    [
        ("", None, "DEPLOY_SMOKE_USER is not set"),
        ("nobody", None, "'nobody' is no active user"),
        ("gone", {"is_active": False}, "'gone' is no active user"),
        ("admin", {"is_staff": True}, "'admin' is staff"),
    ],
)
def test_only_an_active_user_without_staff_rights_gets_one(settings, username, user, said):
    if user is not None:
        get_user_model().objects.create_user(username, password="a-long-password-for-smoke", **user)
    settings.DEPLOY_SMOKE_USER = username
    with pytest.raises(CommandError, match=said):
        smoke_session()
    assert not Session.objects.exists()
