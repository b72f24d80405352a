import socket

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db


def log_in(username, password):
    """As the login page does: django-axes, the first backend, wants the request."""
    return authenticate(RequestFactory().post(reverse("login")), username=username, password=password)


def test_a_member_of_the_required_group_logs_in_and_gets_an_account_with_the_mapped_groups(directory):
    user = log_in("maria", "maria-password")
    assert (user.username, user.first_name, user.last_name, user.email) == (
        "maria",
        "Μαρία",
        "Παπαδοπούλου",
        "maria@example.org",
    )
    assert not user.has_usable_password(), "the directory keeps the password"
    assert [group.name for group in user.groups.all()] == ["Clerks"]
    assert log_in("MARIA", "maria-password") == user


def test_the_groups_follow_the_directory_at_each_login(directory):
    nikos = log_in("nikos", "nikos-password")
    assert not nikos.groups.exists()
    directory["GROUPS"] = {directory["REQUIRE_GROUP"]: "Staff"}
    assert [group.name for group in log_in("nikos", "nikos-password").groups.all()] == ["Staff"]


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("maria", "wrong-password"),
        ("maria", ""),  # an anonymous bind, which the directory would accept
        ("nobody", "maria-password"),
        ("outsider", "outsider-password"),  # not in the required group
    ],
)
def test_the_directory_says_no(directory, username, password):
    assert log_in(username, password) is None


@pytest.mark.parametrize("username", ["*", "m*", ")(", "maria)(uid=*", "\\", "maria\\"])
def test_filter_characters_in_the_username_never_reach_the_directory(directory, username):
    assert log_in(username, "maria-password") is None


def test_by_default_only_users_with_an_account_here_log_in(directory, django_user_model):
    del directory["CREATE_USERS"]
    assert log_in("maria", "maria-password") is None
    assert not django_user_model.objects.exists()
    django_user_model.objects.create_user("maria")  # as an administrator does in the admin
    assert log_in("maria", "maria-password").email == "maria@example.org"


def test_an_account_this_project_disabled_stays_out(directory, django_user_model):
    django_user_model.objects.create_user("maria", is_active=False)
    assert log_in("maria", "maria-password") is None


@pytest.fixture(params=["refused", "silent"])
def unanswering_directory(request):
    """A port nothing listens on, or one that takes the connection and never says a word."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        if request.param == "silent":
            silent.listen()
        yield f"ldap://127.0.0.1:{silent.getsockname()[1]}"


def test_when_the_directory_does_not_answer_local_accounts_still_log_in(
    directory, unanswering_directory, django_user_model, caplog
):
    directory["SERVER_URI"] = unanswering_directory
    django_user_model.objects.create_superuser("root", password="local-password")
    assert log_in("root", "local-password").username == "root"
    assert "The directory did not answer" not in caplog.text, "a local account never waits for the directory"
    assert log_in("maria", "maria-password") is None  # after DIRECTORY["TIMEOUT"] seconds at most
    assert "The directory did not answer" in caplog.text


def test_the_login_page_takes_directory_accounts(client, directory):
    response = client.post(reverse("login"), {"username": "maria", "password": "maria-password"})
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "maria"


def test_a_nul_in_the_username_is_refused_by_the_login_form(client, directory):
    response = client.post(reverse("login"), {"username": "maria\x00", "password": "maria-password"})
    assert response.status_code == 200 and "Null characters are not allowed." in response.text
