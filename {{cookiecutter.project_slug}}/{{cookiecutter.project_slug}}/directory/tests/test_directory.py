import socket
import threading

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.core import checks
from django.test import RequestFactory
from django.urls import reverse

from ...users.models import ExternalIdentity

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


def answer_everyone_with(listener, garbage):
    while True:
        try:
            connection, _ = listener.accept()
        except OSError:  # the listener was closed: the test is over
            return
        with connection:
            connection.recv(4096)
            connection.sendall(garbage)


# What a peer that is no directory answers: a web server or proxy on that port, a broken LDAP message (ldap3
# itself fails on it with IndexError or KeyError), or plain text where ldaps:// expects TLS.
GARBAGE = {
    "web server": b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
    "broken LDAP": b"\x30\x05\x02\x01\x01\x61\x00",
    "not TLS": b"HTTP/1.1 400 Bad Request\r\n\r\n",
}


@pytest.fixture(params=["refused", "silent", *GARBAGE])
def unanswering_directory(request):
    """A port nothing listens on, one that takes the connection and never says a word, or a peer that answers
    something other than LDAP."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        scheme = "ldaps" if request.param == "not TLS" else "ldap"
        if request.param != "refused":
            listener.listen()
        if request.param in GARBAGE:
            threading.Thread(target=answer_everyone_with, args=(listener, GARBAGE[request.param]), daemon=True).start()
        yield f"{scheme}://localhost:{listener.getsockname()[1]}"


def test_when_the_directory_does_not_answer_local_accounts_still_log_in(
    directory, unanswering_directory, django_user_model, caplog
):
    directory["SERVER_URI"] = unanswering_directory
    django_user_model.objects.create_superuser("root", password="local-password")
    assert log_in("root", "local-password").username == "root"
    assert "Directory login failed" not in caplog.text, "a local account never waits for the directory"
    assert log_in("maria", "maria-password") is None  # after DIRECTORY["TIMEOUT"] seconds at most
    assert "Directory login failed" in caplog.text


def test_the_login_page_takes_directory_accounts(client, directory):
    response = client.post(reverse("login"), {"username": "maria", "password": "maria-password"})
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "maria"


def test_a_nul_in_the_username_is_refused_by_the_login_form(client, directory):
    response = client.post(reverse("login"), {"username": "maria\x00", "password": "maria-password"})
    assert response.status_code == 200 and "Null characters are not allowed." in response.text


def test_a_directory_that_answers_no_ldap_is_a_counted_failed_login_not_an_error(
    client, directory, unanswering_directory
):
    directory["SERVER_URI"] = unanswering_directory
    response = client.post(reverse("login"), {"username": "maria", "password": "maria-password"})
    assert response.status_code == 200
    assert AccessAttempt.objects.get(username="maria").failures_since_start == 1


def test_over_ldaps_the_certificate_of_the_directory_is_checked_against_the_named_ca(directory, directory_server):
    directory["SERVER_URI"] = f"ldaps://localhost:{directory_server.tls_port}"
    assert log_in("maria", "maria-password").username == "maria"


@pytest.mark.parametrize("scheme", ["ldap", "ldaps"])
def test_a_certificate_issued_by_an_authority_nobody_named_is_refused(directory, directory_server, scheme, caplog):
    """Without CA_FILE the system's authorities judge it, and none of them issued the test directory's."""
    port = directory_server.tls_port if scheme == "ldaps" else directory_server.port
    directory["SERVER_URI"] = f"{scheme}://localhost:{port}"
    del directory["CA_FILE"]
    assert log_in("maria", "maria-password") is None
    assert "certificate" in caplog.text


@pytest.mark.parametrize("scheme", ["ldap", "ldaps"])
def test_a_certificate_for_another_name_is_refused(directory, directory_server, scheme, caplog):
    """The certificate names localhost; a man in the middle would show a good certificate of another name."""
    port = directory_server.tls_port if scheme == "ldaps" else directory_server.port
    directory["SERVER_URI"] = f"{scheme}://127.0.0.1:{port}"
    assert log_in("maria", "maria-password") is None
    assert "certificate" in caplog.text


def deploy_warnings():
    return [
        message.id
        for message in checks.run_checks(include_deployment_checks=True)
        if message.id.startswith("directory.")
    ]


def test_passwords_sent_in_clear_are_a_deploy_warning(directory, directory_server):
    assert deploy_warnings() == []
    directory["START_TLS"] = False
    assert log_in("maria", "maria-password").username == "maria", "plain LDAP, where the directory is on this host"
    assert deploy_warnings() == ["directory.W001"]


def test_a_local_superuser_is_never_taken_over_by_the_directory_identity_of_the_same_name(
    directory, django_user_model, password
):
    maria = django_user_model.objects.create_superuser("maria", "maria@local.example", password)
    for username in ("maria", "MARIA", "Maria"):
        assert log_in(username, "maria-password") is None
    maria.refresh_from_db()
    assert (maria.email, maria.first_name, maria.is_superuser) == ("maria@local.example", "", True)
    assert log_in("Maria", password) == maria, "her own password still logs her in"


@pytest.mark.parametrize(
    "account", [{"is_staff": True}, {"password": "a-password-of-its-own"}], ids=["staff", "password"]
)
def test_a_local_account_with_staff_rights_or_a_password_is_never_taken_over(directory, django_user_model, account):
    maria = django_user_model.objects.create_user("maria", **account)
    assert log_in("maria", "maria-password") is None
    maria.refresh_from_db()
    assert (maria.email, maria.groups.exists()) == ("", False)


def test_an_administrator_links_a_local_account_to_its_directory_identity(directory, django_user_model, password):
    maria = django_user_model.objects.create_superuser("maria", "maria@local.example", password)
    ExternalIdentity.objects.create(user=maria, source="directory", identifier="maria")
    assert log_in("MARIA", "maria-password") == maria
    maria.refresh_from_db()
    assert maria.email == "maria@example.org"


def test_an_account_made_for_a_directory_user_is_linked_at_the_first_login(directory, django_user_model):
    """No password here and no staff rights: an administrator made it for the directory person (the default)."""
    maria = django_user_model.objects.create_user("Maria")
    assert log_in("maria", "maria-password") == maria
    link = maria.external_identities.get()
    assert link.identifier == "maria"
    assert (link.created_by, link.history.get().history_user) == (maria, maria)
    # Later given staff rights, she still logs in through the directory: the link stays.
    django_user_model.objects.filter(pk=maria.pk).update(is_staff=True)
    assert log_in("maria", "maria-password") == maria
