import base64
import json
import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.core import checks
from django.urls import reverse
from django.utils.html import escape

from ...users.models import ExternalIdentity

pytestmark = pytest.mark.django_db
FAILED = "The sign-in did not succeed"


def to_provider(client, next_url=""):
    """The login page's button: the query of the provider's authorization URL it sends the browser to."""
    response = client.get(reverse("identity_provider:sign_in"), {"next": next_url} if next_url else {})
    assert response.status_code == 302
    return parse_qs(urlsplit(response["Location"]).query)


def sign_in(client, provider, **claims):
    query = to_provider(client)
    code = provider.authorize(query, **claims)
    return client.get(reverse("identity_provider:callback"), {"code": code, "state": query["state"][0]})


def signed_in_user(client):
    return client.get(reverse("home")).wsgi_request.user


def failures():
    return sum(attempt.failures_since_start for attempt in AccessAttempt.objects.all())


def assert_failed(client, caplog, attempt):
    """``attempt()`` is a failed login: the login page with a message, nobody signed in, one failure more for
    django-axes, and a line in the log."""
    before = failures()
    caplog.clear()
    response = attempt()
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert FAILED in client.get(reverse("login")).content.decode()
    assert not signed_in_user(client).is_authenticated
    assert failures() == before + 1
    assert caplog.records, "a refusal is logged"


def test_the_authorization_request_asks_for_a_code_with_pkce_state_and_nonce(client, provider):
    query = to_provider(client)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["client_id"] == ["intranet"] and "openid" in query["scope"][0].split()
    assert query["state"][0] and query["nonce"][0]
    assert query["redirect_uri"] == ["http://testserver/accounts/identity-provider/callback/"]


def test_a_person_signs_in_with_their_names_and_mapped_groups_and_goes_where_they_were_going(client, provider):
    query = to_provider(client, next_url="/accounts/password_change/")
    code = provider.authorize(query)
    response = client.get(reverse("identity_provider:callback"), {"code": code, "state": query["state"][0]})
    assert response["Location"] == "/accounts/password_change/"
    user = signed_in_user(client)
    assert (user.username, user.first_name, user.last_name, user.email) == (
        "maria",
        "Μαρία",
        "Παπαδοπούλου",
        "maria@example.org",
    )
    assert not user.has_usable_password(), "the provider keeps the password"
    assert [group.name for group in user.groups.all()] == ["Clerks"]
    assert user.external_identities.get().source == "identity provider"


@pytest.mark.parametrize(
    ("organisation", "stored"),
    [
        ("Δήμος Αθηναίων", "Δήμος Αθηναίων"),
        (["athens", "piraeus"], "athens, piraeus"),
        ({"athens": {}}, "athens"),
        ("Δ" * 1000, "Δ" * 255),  # a provider's answer is no reason for a database error
    ],
)
def test_the_tax_number_and_the_organisation_come_from_their_claims(client, provider, organisation, stored):
    sign_in(client, provider, taxid="EL 094 259 216", organization=organisation)
    maria = signed_in_user(client)
    assert (maria.tax_number, maria.organisation) == ("094259216", stored)


def test_a_tax_number_that_does_not_exist_is_not_stored_and_one_left_out_is_kept(client, provider, caplog):
    sign_in(client, provider, taxid="094259216")
    for wrong in ["123456789", ["094259216"], "9" * 10_000]:
        client.logout()
        sign_in(client, provider, taxid=wrong)
        assert signed_in_user(client).tax_number == "094259216"
    assert "is no tax number" in caplog.text
    client.logout()
    sign_in(client, provider)
    assert signed_in_user(client).tax_number == "094259216"


def test_the_groups_follow_the_provider_at_each_sign_in(client, provider):
    sign_in(client, provider)
    client.logout()
    sign_in(client, provider, groups=["staff"])
    assert not signed_in_user(client).groups.exists()
    assert Group.objects.filter(name="Clerks").exists()


def test_a_next_page_on_another_site_is_ignored(client, provider):
    query = to_provider(client, next_url="https://evil.example.org/")
    code = provider.authorize(query)
    response = client.get(reverse("identity_provider:callback"), {"code": code, "state": query["state"][0]})
    assert response["Location"] == reverse("home")


def test_by_default_only_people_with_an_account_here_sign_in(client, provider, settings, django_user_model, caplog):
    del settings.IDENTITY_PROVIDER["CREATE_USERS"]
    assert_failed(client, caplog, lambda: sign_in(client, provider))
    assert not django_user_model.objects.exists()
    made_here = django_user_model.objects.create(username="Maria")  # by an administrator, with no password
    made_here.set_unusable_password()
    made_here.save()
    sign_in(client, provider)
    assert signed_in_user(client) == made_here


@pytest.mark.parametrize("kind", ["password", "staff", "superuser"])
def test_a_provider_identity_never_takes_over_a_local_account(client, provider, django_user_model, caplog, kind):
    local = django_user_model.objects.create_user("maria", password="local-password" if kind == "password" else None)
    if kind != "password":
        local.set_unusable_password()
        setattr(local, f"is_{kind}", True)
        local.save()
    assert_failed(client, caplog, lambda: sign_in(client, provider))
    # Linked by hand in the users' admin, the same account signs in through the provider too.
    ExternalIdentity.objects.create(user=local, source="identity provider", identifier="maria")
    sign_in(client, provider)
    assert signed_in_user(client) == local


def test_a_disabled_account_stays_out(client, provider, django_user_model, caplog):
    sign_in(client, provider)
    client.logout()
    django_user_model.objects.filter(username="maria").update(is_active=False)
    assert_failed(client, caplog, lambda: sign_in(client, provider))


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "https://another-provider.example.org"},
        {"aud": "another-application"},
        {"nonce": None},
        {"nonce": "another-sign-in"},
        {"exp": 1_000_000_000, "iat": 999_999_700},  # expired long ago
        {"preferred_username": None},
        {"preferred_username": "maria)(*"},
        {"preferred_username": ["maria"]},
    ],
    ids=["issuer", "audience", "no-nonce", "other-nonce", "expired", "no-username", "bad-username", "list-username"],
)
def test_an_id_token_that_is_not_for_this_sign_in_is_a_failed_login(client, provider, caplog, claims):
    caplog.set_level(logging.INFO)
    assert_failed(client, caplog, lambda: sign_in(client, provider, **claims))


def test_a_tampered_or_unsigned_id_token_is_a_failed_login(client, provider, caplog, monkeypatch):
    signed = provider.id_token

    def tampered(claims):
        header, payload, signature = signed(claims).split(".")
        return ".".join([header, signed({**claims, "preferred_username": "admin"}).split(".")[1], signature])

    monkeypatch.setattr(provider, "id_token", tampered)
    assert_failed(client, caplog, lambda: sign_in(client, provider))
    AccessAttempt.objects.all().delete()
    monkeypatch.setattr(provider, "id_token", lambda claims: jwt_without_signature(claims))
    assert_failed(client, caplog, lambda: sign_in(client, provider))


def jwt_without_signature(claims):
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none'})}.{part(claims)}."


def test_a_replayed_code_or_a_state_of_another_session_is_a_failed_login(client, provider, caplog):
    query = to_provider(client)
    code = provider.authorize(query)
    callback = {"code": code, "state": query["state"][0]}
    client.get(reverse("identity_provider:callback"), callback)
    assert signed_in_user(client).is_authenticated
    client.logout()
    assert_failed(client, caplog, lambda: client.get(reverse("identity_provider:callback"), callback))
    # A new sign-in of this browser, with the old code: the provider refuses it, as it gives a code once.
    query = to_provider(client)
    replayed = {"code": code, "state": query["state"][0]}
    assert_failed(client, caplog, lambda: client.get(reverse("identity_provider:callback"), replayed))
    # Another browser's state (a forged link to the callback) is no sign-in of this one.
    query = to_provider(client)
    forged = {"code": provider.authorize(query), "state": "forged"}
    assert_failed(client, caplog, lambda: client.get(reverse("identity_provider:callback"), forged))


def test_the_provider_says_no_is_a_failed_login(client, provider, caplog):
    query = to_provider(client)
    answer = {"error": "access_denied", "error_description": "<script>", "state": query["state"][0]}
    assert_failed(client, caplog, lambda: client.get(reverse("identity_provider:callback"), answer))


def test_a_provider_that_is_down_or_hangs_is_a_message_not_an_error_page(client, provider, settings, caplog):
    provider.delay = 3  # past the TIMEOUT of 2 seconds
    response = client.get(reverse("identity_provider:sign_in"))
    assert response["Location"] == reverse("login")
    assert "does not answer" in client.get(reverse("login")).content.decode()
    settings.IDENTITY_PROVIDER["METADATA_URL"] = "http://127.0.0.1:9/.well-known/openid-configuration"
    assert client.get(reverse("identity_provider:sign_in"))["Location"] == reverse("login")
    callback = {"code": "x", "state": "y"}
    assert_failed(client, caplog, lambda: client.get(reverse("identity_provider:callback"), callback))


def test_local_superusers_still_log_in_with_their_password_when_the_provider_is_down(
    client, provider, settings, admin_user
):
    settings.IDENTITY_PROVIDER["METADATA_URL"] = "http://127.0.0.1:9/.well-known/openid-configuration"
    client.post(reverse("login"), {"username": "admin", "password": "password"})
    assert signed_in_user(client) == admin_user


def test_a_locked_out_client_is_not_signed_in_even_with_a_good_token(client, provider, settings, django_user_model):
    """Refusals of a person the token names count against that username; tokens that fail their checks name
    nobody, and count against the client's address with no username."""
    sign_in(client, provider)
    client.logout()
    django_user_model.objects.filter(username="maria").update(is_active=False)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, provider)
    django_user_model.objects.filter(username="maria").update(is_active=True)
    response = sign_in(client, provider)
    assert response.status_code == 429
    assert not signed_in_user(client).is_authenticated


def test_staff_owe_a_second_step_here_unless_the_provider_asked_for_one(client, provider, settings, django_user_model):
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = True
    sign_in(client, provider)
    django_user_model.objects.filter(username="maria").update(is_staff=True)
    client.logout()
    sign_in(client, provider, amr=["pwd"])
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_setup"))
    client.logout()
    sign_in(client, provider, amr=["pwd", "mfa"])
    assert client.get(reverse("home")).status_code == 200
    # A step-up level the provider names for its second step, where it sends no amr (Keycloak).
    settings.IDENTITY_PROVIDER["SECOND_STEP_ACR"] = ["gold"]
    client.logout()
    sign_in(client, provider, acr="gold")
    assert client.get(reverse("home")).status_code == 200


def test_signing_out_ends_the_session_at_the_provider_too(client, provider):
    sign_in(client, provider)
    id_token = client.session["identity_provider_id_token"]
    response = client.post(reverse("logout"))
    # A page goes on to the provider: the logout form's own redirects must stay on this site (form-action).
    location = urlsplit(response.context["end_session_url"])
    assert f'content="0; url={escape(response.context["end_session_url"])}"' in response.content.decode()
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{provider.issuer}/logout"
    query = parse_qs(location.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert not signed_in_user(client).is_authenticated


def test_signing_out_when_the_provider_is_down_signs_out_here(client, provider, settings):
    sign_in(client, provider)
    settings.IDENTITY_PROVIDER["METADATA_URL"] = "http://127.0.0.1:9/.well-known/openid-configuration"
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("home")
    assert not signed_in_user(client).is_authenticated


def test_the_login_page_offers_the_provider(client):
    assert reverse("identity_provider:sign_in") in client.get(reverse("login")).content.decode()


def test_check_deploy_warns_about_a_provider_without_tls(settings):
    settings.IDENTITY_PROVIDER = {"METADATA_URL": "http://sso.example.org/.well-known/openid-configuration"}
    found = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    assert "identity_provider.W001" in [message.id for message in found]
    settings.IDENTITY_PROVIDER = {"METADATA_URL": "https://sso.example.org/.well-known/openid-configuration"}
    found = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    assert "identity_provider.W001" not in [message.id for message in found]


def test_the_link_made_at_a_first_sign_in_is_in_the_history_under_the_person_it_signed_in(client, provider):
    sign_in(client, provider)
    maria = signed_in_user(client)
    link = maria.external_identities.get()
    assert (link.created_by, link.history.get().history_user) == (maria, maria)


def gsis_sign_in(client, provider, **attributes):
    query = to_provider(client)
    code = provider.authorize_gsis(query, **attributes)
    return client.get(reverse("identity_provider:callback"), {"code": code, "state": query["state"][0]})


def test_gsis_asks_its_authorize_endpoint_for_a_code_with_state_and_scope_read(client, gsis):
    response = client.get(reverse("identity_provider:sign_in"))
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{gsis.issuer}/gsis/oauth/authorize"
    query = parse_qs(location.query)
    assert (query["response_type"], query["scope"], query["client_id"]) == (["code"], ["read"], ["intranet"])
    assert query["state"][0]


def test_a_civil_servant_signs_in_through_gsis_with_the_names_its_user_info_gives(client, gsis):
    response = gsis_sign_in(client, gsis)
    assert response["Location"] == reverse("home")
    user = signed_in_user(client)
    assert (user.username, user.first_name, user.last_name) == ("mpapadopoulou", "ΜΑΡΙΑ", "ΠΑΠΑΔΟΠΟΥΛΟΥ")
    assert user.tax_number == "068933130"
    assert user.external_identities.get().identifier == "mpapadopoulou"


def test_a_citizen_signs_in_by_tax_number_and_never_as_staff(client, gsis, settings, django_user_model, caplog):
    settings.IDENTITY_PROVIDER["PROFILE"] = "gsis_citizen"
    gsis_sign_in(client, gsis)
    citizen = signed_in_user(client)
    assert (citizen.username, citizen.is_staff) == ("068933130", False)
    client.logout()
    django_user_model.objects.filter(pk=citizen.pk).update(is_staff=True)
    assert_failed(client, caplog, lambda: gsis_sign_in(client, gsis))


@pytest.mark.parametrize(
    "user_info",
    [
        b'<!DOCTYPE root [<!ENTITY name "ADMIN">]><root><userinfo userid="&name;" taxid="1"/></root>',
        b'<?xml version="1.0"?><!DOCTYPE root SYSTEM "file:///etc/passwd"><root><userinfo userid="x"/></root>',
        b"<root><other/></root>",
        b"not xml",
        b"<root>" + b"<userinfo userid='x'/>" * 5000 + b"</root>",
    ],
    ids=["entity", "external-dtd", "no-userinfo", "not-xml", "too-long"],
)
def test_a_gsis_user_info_that_is_not_the_specifications_is_a_failed_login(client, gsis, caplog, user_info):
    gsis.user_info = user_info
    assert_failed(client, caplog, lambda: gsis_sign_in(client, gsis))


def test_a_gsis_code_is_good_once_and_for_this_browsers_state_only(client, gsis, caplog):
    query = to_provider(client)
    code = gsis.authorize_gsis(query)
    callback = {"code": code, "state": query["state"][0]}
    client.get(reverse("identity_provider:callback"), callback)
    client.logout()
    replayed = {"code": code, "state": to_provider(client)["state"][0]}
    assert_failed(client, caplog, lambda: client.get(reverse("identity_provider:callback"), replayed))
    forged = {"code": gsis.authorize_gsis(to_provider(client)), "state": "forged"}
    assert_failed(client, caplog, lambda: client.get(reverse("identity_provider:callback"), forged))


def test_a_wrong_client_secret_is_a_failed_login(client, gsis, settings, caplog):
    settings.IDENTITY_PROVIDER["CLIENT_SECRET"] = "wrong"
    assert_failed(client, caplog, lambda: gsis_sign_in(client, gsis))


def test_signing_out_of_gsis_goes_to_its_logout_page_for_this_client(client, gsis):
    gsis_sign_in(client, gsis)
    response = client.post(reverse("logout"))
    assert response.context["end_session_url"] == f"{gsis.issuer}/gsis/logout/intranet/?url=http%3A%2F%2Ftestserver%2F"
    assert not signed_in_user(client).is_authenticated


def test_an_unknown_profile_stops_the_start(settings):
    settings.IDENTITY_PROVIDER = {"PROFILE": "saml"}
    assert "identity_provider.E001" in [message.id for message in checks.run_checks()]
