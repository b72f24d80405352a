import re
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ...core.testing import sends_mail, untranslated_strings
from ...users.models import User

pytestmark = pytest.mark.django_db


def test_custom_user_model_is_in_use():
    assert settings.AUTH_USER_MODEL == "users.User"
    assert get_user_model() is User


def test_users_are_shown_by_name_and_by_username_when_they_have_none(django_user_model):
    assert str(django_user_model(username="alice", first_name="Αλίκη", last_name="Παππά")) == "Αλίκη Παππά"
    assert str(django_user_model(username="bob")) == "bob"


def test_usernames_are_one_person_whatever_their_case(django_user_model, password, rf):
    maria = django_user_model.objects.create_user("Maria", password=password)
    assert authenticate(rf.post(reverse("login")), username="MARIA", password=password) == maria
    with pytest.raises(IntegrityError):
        django_user_model.objects.create_user("maria")


def test_home_page_renders_for_anonymous_users(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert settings.PROJECT_NAME in response.text
    assert reverse("login") in response.text


def test_login_page_renders_the_form_with_crispy_bootstrap(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    # Django's LoginView puts its own "site_name" in the context: ours must not be overwritten.
    assert f"<title>Log in · {settings.PROJECT_NAME}</title>" in response.text
    assert 'class="textinput form-control' in response.text or 'class="form-control' in response.text
    assert 'name="username"' in response.text


def test_login_with_right_password(client, user, password):
    response = client.post(reverse("login"), {"username": user.username, "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(settings.LOGIN_REDIRECT_URL)
    assert response.context["user"] == user
    assert f">{user.username}</a>" in response.text
    assert "Log out" in response.text


def test_the_navigation_names_the_user_by_full_name_when_there_is_one(alice_client, user):
    user.first_name, user.last_name = "Αλίκη", "Παπαδοπούλου"
    user.save()
    assert ">Αλίκη Παπαδοπούλου</a>" in alice_client.get(reverse("home")).text


def test_login_page_offers_a_password_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).text


@pytest.mark.parametrize("name", ["password_reset", "password_reset_done", "password_reset_complete"])
def test_password_reset_pages_use_the_project_layout(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert 'id="main-nav"' in response.text
    assert "django-admin" not in response.text.lower() and "site-name" not in response.text


@pytest.mark.parametrize("name", ["password_change", "password_change_done"])
def test_password_change_pages_use_the_project_layout(alice_client, name):
    response = alice_client.get(reverse(name))
    assert response.status_code == 200
    assert 'id="main-nav"' in response.text
    assert "site-name" not in response.text


@sends_mail
def test_a_password_reset_link_leads_to_the_project_styled_form(client, user, mailoutbox):
    user.email = "alice@example.com"
    user.save()
    client.post(reverse("password_reset"), {"email": user.email})
    (mail,) = mailoutbox
    link = next(word for word in mail.body.split() if "/reset/" in word)
    response = client.get(link, follow=True)
    assert 'id="main-nav"' in response.text
    assert 'name="new_password1"' in response.text


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url.endswith("favicon.svg")


def test_login_with_wrong_password_shows_an_error(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert "alert" in response.text


def test_logout_needs_post(alice_client):
    assert alice_client.get(reverse("logout")).status_code == 405
    response = alice_client.post(reverse("logout"), follow=True)
    assert not response.context["user"].is_authenticated


def test_unknown_page_uses_the_project_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_500_page_renders_without_context():
    assert "Something went wrong" in render_to_string("500.html")


@sends_mail  # the 500 is mailed to ADMINS
@pytest.mark.parametrize("error", ["400", "403", "403 csrf", "404", "500"])
def test_each_error_page_is_the_projects_in_its_language(client, django_user_model, error):
    """Titled and marked up in the project's language (3.1.1, 2.4.2): Django's own 403 and CSRF pages are
    English under lang="en" whatever the project speaks, titled "403 Forbidden"."""
    client.raise_request_exception = False
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    with translation.override(settings.PROJECT_LANGUAGE_CODE), untranslated_strings() as missing:
        if error == "400":
            response = Client(headers={"host": "not-this-site.example"}).get("/")
        elif error == "403":
            client.force_login(staff)  # staff, without the permission to see users
            response = client.get(reverse("admin:users_user_changelist"))
        elif error == "403 csrf":  # a form left open across a logout
            response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "staff"})
        elif error == "404":
            response = client.get("/no-such-page/")
        else:
            with mock.patch("django.contrib.auth.views.LoginView.get", side_effect=RuntimeError):
                response = client.get(reverse("login"))
        title = re.search(r"<title>(.*?)</title>", response.text, re.DOTALL)[1]
    assert response.status_code == int(error[:3])
    assert f'<html lang="{settings.PROJECT_LANGUAGE_CODE}">' in response.text
    assert not re.search(r"\b\d{3}\b", title)  # a title in words, not Django's "403 Forbidden"
    # Django's CSRF view and axes ask gettext for messages these pages never show.
    shown = sorted(message for message in missing if message in response.text)
    assert not shown, f"not translated into {settings.PROJECT_LANGUAGE_CODE}: {shown}"


def test_a_used_or_expired_reset_link_says_so_in_its_title(client, user):
    """2.4.2: the page kept the title "Choose a new password" with no form to choose one."""
    response = client.get(reverse("password_reset_confirm", args=["MQ", "not-a-token"]), follow=True)
    assert "<title>This link no longer works" in response.text
    assert 'name="new_password1"' not in response.text
