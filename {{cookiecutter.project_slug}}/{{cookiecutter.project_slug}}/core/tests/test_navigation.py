"""The main menu: the list views every installed app names in its AppConfig's ``menu``, for signed-in users."""

import pytest
from django.apps import apps
from django.urls import reverse

from ..context_processors import navigation


@pytest.fixture
def users_app_in_menu(monkeypatch):
    users = apps.get_app_config("users")
    monkeypatch.setattr(users, "menu", [("home", users.verbose_name), ("login", "Sign in")], raising=False)
    return users


def test_each_list_an_app_names_is_in_the_menu_in_its_order(users_app_in_menu):
    home, login = (reverse("home"), users_app_in_menu.verbose_name), (reverse("login"), "Sign in")
    menu = navigation()
    assert menu.index(home) + 1 == menu.index(login)


def test_an_app_that_does_not_stays_out():
    assert apps.get_app_config("users").verbose_name not in [label for _, label in navigation()]


@pytest.mark.django_db
def test_signed_in_users_see_the_menu_and_visitors_do_not(client, django_user_model, users_app_in_menu):
    link = f'<a class="nav-link" href="{reverse("home")}">{users_app_in_menu.verbose_name}</a>'
    assert link not in client.get(reverse("login")).text
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    assert link in client.get(reverse("home")).text
