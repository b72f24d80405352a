"""The project's own pages in Greek: every string of theirs is translated (locale/el)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

ENGLISH = ["Log in", "Log out", "Home", "Page not found", "Forgot password?", "Change password", "Welcome", "Admin"]


def visible_text(html):
    """The page's text as a reader sees it: no tags, scripts or attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", html)


def greek_page(client, url):
    with translation.override("el"):
        response = client.get(url)
    assert response.status_code in (200, 404), url
    return visible_text(response.text)


@pytest.mark.parametrize("name", ["home", "login", "password_reset", "password_reset_done", "missing"])
def test_pages_for_visitors_are_in_greek(client, name):
    text = greek_page(client, "/no-such-page/" if name == "missing" else reverse(name))
    assert [english for english in ENGLISH if english in text] == []
    assert re.search("[α-ωΑ-Ω]{4}", text)


@pytest.mark.parametrize("name", ["home", "password_change", "password_change_done"])
def test_pages_for_users_are_in_greek(alice_client, name):
    text = greek_page(alice_client, reverse(name))
    assert [english for english in ENGLISH if english in text] == []
    assert "Αποσύνδεση" in text
