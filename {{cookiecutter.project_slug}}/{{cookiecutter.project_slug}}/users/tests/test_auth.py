import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse

from ...users.models import User

pytestmark = pytest.mark.django_db


def test_custom_user_model_is_in_use():
    assert settings.AUTH_USER_MODEL == "users.User"
    assert get_user_model() is User


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
    assert f"Log out {user.username}" in response.text


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
