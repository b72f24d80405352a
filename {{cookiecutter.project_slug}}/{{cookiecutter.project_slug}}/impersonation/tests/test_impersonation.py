import logging

import pytest
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_static.models import StaticDevice

from ...core.current_user import CurrentRequestMiddleware, get_current_user
from ..middleware import ImpersonationMiddleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser(username="root", password="x")


def act_as(client, user):
    return client.post(reverse("hijack:acquire"), {"user_pk": user.pk, "next": "/"})


def test_a_superuser_acts_as_a_user_under_a_banner_and_comes_back(client, root, user, caplog):
    client.force_login(root)
    with caplog.at_level(logging.INFO):
        assert act_as(client, user).status_code == 302
        page = client.get("/").text
        assert "Welcome, alice." in page
        assert "You, root, are acting as alice" in page
        assert client.post(reverse("hijack:release"), {"next": "/"}).status_code == 302
    assert "You, root" not in client.get("/").text
    logged = [record.getMessage() for record in caplog.records if record.name.endswith("impersonation.middleware")]
    assert logged == [
        f"root (id {root.pk}) started acting as alice (id {user.pk})",
        f"root (id {root.pk}) stopped acting as alice (id {user.pk})",
    ]


@pytest.mark.parametrize("kind", ["superuser", "staff"])
def test_never_as_another_superuser_or_staff_member(client, root, django_user_model, kind):
    superuser = kind == "superuser"
    other = django_user_model.objects.create_user("other", password="x", is_staff=True, is_superuser=superuser)
    client.force_login(root)
    assert act_as(client, other).status_code == 403


def test_only_superusers_act_as_someone(client, django_user_model, user):
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    assert act_as(client, user).status_code == 403


def test_the_audit_fields_and_the_history_name_the_superuser_behind_it(rf, root, user):
    request = rf.get("/")
    request.user, request.session = user, {"hijack_history": [str(root.pk)]}
    respond = CurrentRequestMiddleware(ImpersonationMiddleware(lambda request: HttpResponse(get_current_user().pk)))
    assert respond(request).content == str(root.pk).encode()


def test_the_users_code_is_not_asked_for(client, root, user, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = True
    StaticDevice.objects.create(user=user, name="recovery codes").token_set.create(token="abcd2345")
    StaticDevice.objects.create(user=root, name="recovery codes").token_set.create(token="efgh2345")
    client.force_login(root)
    client.post(reverse("two_factor_verify"), {"code": "efgh2345"})
    act_as(client, user)
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("page", ["two_factor_setup", "password_change"])
def test_the_users_password_and_app_stay_theirs(client, root, user, password, page):
    """Support sees what the user sees; it does not pair its own phone to their account or change their password."""
    client.force_login(root)
    act_as(client, user)
    response = client.get(reverse(page), follow=True)
    assert response.redirect_chain == [("/", 302)]
    (message,) = response.context["messages"]
    assert message.level_tag == "error" and "alice" in message.message
    response = client.post(
        reverse(page), {"old_password": password, "new_password1": "x" * 20, "new_password2": "x" * 20}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(password)
    assert not user.totpdevice_set.exists()


def test_the_admin_offers_it_for_the_users_a_superuser_may_act_as(admin_client, user, django_user_model):
    django_user_model.objects.create_user("staff", password="x", is_staff=True)
    page = admin_client.get(reverse("admin:users_user_changelist")).text
    assert page.count("data-hijack-user=") == 1 and f'data-hijack-user="{user.pk}"' in page


def test_the_button_and_the_banner_speak_greek(client, root, user):
    client.force_login(root)
    with translation.override("el"):
        admin_page = client.get(reverse("admin:users_user_changelist")).text
        act_as(client, user)
        home = client.get("/").text
    assert "Υποστήριξη" in admin_page and '>Ενέργεια ως<span class="visually-hidden">' in admin_page
    assert "Εσείς, root, ενεργείτε ως alice" in home and "Τέλος ενέργειας ως άλλος χρήστης" in home


def test_each_act_as_button_says_whom_to_screen_readers(client, root, django_user_model):
    """2.4.6: the users' list had a column of buttons that all read "Act as"."""
    for name in ("bob", "carol"):
        django_user_model.objects.create_user(username=name)
    client.force_login(root)
    page = client.get(reverse("admin:users_user_changelist")).text
    for name in ("bob", "carol"):
        assert f'Act as<span class="visually-hidden"> {name}</span></button>' in page
