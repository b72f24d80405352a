import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db
# A page to come back to after the code, query string included.
PAGE = "/accounts/password_change/?from=menu"


@pytest.fixture(autouse=True)
def no_waiting(settings):
    """django-otp makes each failure wait longer before the next try; most tests here fail on purpose."""
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = True


@pytest.fixture
def staff(django_user_model, password):
    return django_user_model.objects.create_user(username="carol", password=password, is_staff=True)


def code(device, step=None):
    """The code the user's app shows now, or in the period ``step`` (counted as TOTPDevice.last_t counts)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if step is not None:
        totp.time = device.t0 + step * device.step
    return f"{totp.token():0{device.digits}d}"


def next_code(device):
    """A code the app shows after the last one used: now's, or the next period's if now's was used. Now's, not
    always the next period's: on a busy machine the next period may be past the tolerance by the time it is sent."""
    now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
    return code(device, max(now, device.last_t + 1))


def log_in(client, user, password, path="/"):
    response = client.post(reverse("login"), {"username": user.username, "password": password, "next": path})
    assert response.status_code == 302, "the password was accepted"
    return client.get(path)


def set_up(client, user, password):
    """Pairs an app through the pages, as the user does; returns the device and the recovery codes."""
    log_in(client, user, password, reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two_factor_setup"), {"code": code(device), "next": "/"})
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.text)
    device.refresh_from_db()
    client.logout()
    return device, codes


def test_staff_must_pair_an_app_before_any_page_where_it_is_required(client, staff, password, required):
    response = log_in(client, staff, password, "/admin/")
    assert response.status_code == 302
    assert response.url == reverse("two_factor_setup") + "?next=%2Fadmin%2F"
    page = client.get(response.url)
    assert "<svg" in page.text and "QR" in page.text
    device = TOTPDevice.objects.get(user=staff, confirmed=False)

    wrong = client.post(response.url, {"code": "000000", "next": "/admin/"})
    assert "This code is not valid" in wrong.text
    assert client.get("/admin/").status_code == 302

    paired = client.post(response.url, {"code": code(device), "next": "/admin/"})
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", paired.text)
    assert len(codes) == 10 and StaticToken.objects.filter(device__user=staff).count() == 10
    assert client.get("/admin/").status_code == 200


def test_without_the_requirement_staff_and_others_log_in_with_a_password(client, staff, user, password):
    assert log_in(client, staff, password, "/admin/").status_code == 200
    client.logout()
    assert log_in(client, user, password).status_code == 200


def test_a_user_who_paired_an_app_gives_a_code_after_the_password_and_a_used_code_is_refused(client, user, password):
    device, _ = set_up(client, user, password)
    response = log_in(client, user, password, PAGE)
    assert response.url == reverse("two_factor_verify") + "?next=%2Faccounts%2Fpassword_change%2F%3Ffrom%3Dmenu"

    assert "This code is not valid" in client.post(response.url, {"code": "123456"}).text
    used = code(device, device.last_t)  # the one the set-up took
    assert "This code is not valid" in client.post(response.url, {"code": used}).text, "a replayed code"
    assert client.get("/").status_code == 302

    verified = client.post(response.url, {"code": next_code(device), "next": PAGE})
    assert verified.url == PAGE
    assert client.get("/").status_code == 200


def test_each_recovery_code_logs_in_once(client, user, password):
    _, codes = set_up(client, user, password)
    log_in(client, user, password)
    assert client.post(reverse("two_factor_verify"), {"code": codes[0].upper(), "next": "/"}).url == "/"
    client.logout()
    log_in(client, user, password)
    assert "This code is not valid" in client.post(reverse("two_factor_verify"), {"code": codes[0]}).text
    assert client.post(reverse("two_factor_verify"), {"code": codes[1], "next": "/"}).url == "/"


def test_a_new_app_replaces_the_old_one_only_after_a_code_from_it(client, user, password):
    set_up(client, user, password)
    response = log_in(client, user, password, reverse("two_factor_setup"))
    assert response.url.startswith(reverse("two_factor_verify"))
    assert client.get(reverse("two_factor_setup")).url.startswith(reverse("two_factor_verify"))
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()


def test_failures_slow_down_further_tries(client, user, password, settings):
    device, _ = set_up(client, user, password)
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    log_in(client, user, password)
    client.post(reverse("two_factor_verify"), {"code": "000000"})
    right = client.post(reverse("two_factor_verify"), {"code": next_code(device), "next": "/"})
    assert right.status_code == 200 and "This code is not valid" in right.text


def test_the_code_page_leads_only_to_this_site(client, user, password):
    device, _ = set_up(client, user, password)
    log_in(client, user, password)
    evil = "https://evil.example/"
    response = client.post(reverse("two_factor_verify"), {"code": next_code(device), "next": evil})
    assert response.url == reverse("home")


def test_without_a_page_to_come_back_to_the_recovery_codes_lead_to_the_start_page(client, user, password):
    log_in(client, user, password, reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two_factor_setup"), {"code": code(device)})
    assert f'href="{reverse("home")}"' in response.text


def test_the_pages_that_show_the_secret_and_the_recovery_codes_are_never_stored(client, user, password):
    """A shared computer's browser cache, or a proxy, must not keep the app's secret or the recovery codes."""
    setup_page = log_in(client, user, password, reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    codes_page = client.post(reverse("two_factor_setup"), {"code": code(device), "next": "/"})
    assert re.findall(r"<li>([a-z2-7]{8})</li>", codes_page.text)
    for response in (setup_page, codes_page):
        assert "no-store" in response.headers["Cache-Control"]


def test_the_second_step_asks_only_for_what_the_first_did_not(client, user, password):
    """3.3.7 (redundant entry): after the password, the code page asks for the code alone, not again for the
    username; it accepts a paste and a password manager's code (3.3.8)."""
    set_up(client, user, password)
    page = client.get(log_in(client, user, password, PAGE).url)
    fields = re.findall(r'<input[^>]*\bname="(\w+)"', page.text)
    assert [name for name in fields if name not in ("csrfmiddlewaretoken", "next")] == ["code"]
    code_field = re.search(r'<input[^>]*\bname="code"[^>]*>', page.text)[0]
    assert 'autocomplete="one-time-code"' in code_field
