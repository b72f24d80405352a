"""The accessibility statement (EU Directive 2016/2102): a page in the project's language, linked from every
page, saying what ACCESSIBILITY_STATEMENT says."""

import datetime

import pytest
from django.core import checks
from django.urls import reverse
from django.utils import translation

from ...operations.checks import check_accessibility_statement, check_accessibility_statement_reviewed

pytestmark = pytest.mark.django_db

REVIEWED = {
    "conformance": "partial",
    "exceptions": ["The PDF cover sheets are not tagged; the page each is printed from says the same."],
    "reviewed_on": datetime.date(2026, 11, 30),
    "review_method": "the team itself",
    "contact": "access@example.org",
    "enforcement": "The Ombudsman, 5 Example Street, Athens.",
}


def test_the_statement_says_what_the_settings_say_and_every_page_links_it(client, settings):
    settings.ACCESSIBILITY_STATEMENT = REVIEWED
    url = reverse("accessibility_statement")
    assert f'href="{url}"' in client.get(reverse("login")).text
    page = client.get(url).text
    assert "partially compliant with WCAG 2.2 level AA" in page
    for text in [REVIEWED["exceptions"][0], "the team itself", 'href="mailto:access@example.org"', "Ombudsman"]:
        assert text in page
    assert "30" in page and "2026" in page
    assert client.post(url).status_code == 405  # a page to read: nothing to send it


def test_an_unreviewed_statement_says_so_and_the_deploy_notes_it(client, settings):
    settings.ACCESSIBILITY_STATEMENT = {**REVIEWED, "reviewed_on": None, "contact": ""}
    page = client.get(reverse("accessibility_statement")).text
    assert "has not been reviewed yet" in page and "mailto:" not in page
    notes = check_accessibility_statement_reviewed()
    assert [(note.id, note.level) for note in notes] == [("core.I001", checks.INFO)]
    assert "no reviewed_on and no contact" in notes[0].msg
    settings.ACCESSIBILITY_STATEMENT = REVIEWED
    assert check_accessibility_statement_reviewed() == []


def test_a_conformance_the_statement_cannot_say_stops_the_start(settings):
    settings.ACCESSIBILITY_STATEMENT = {**REVIEWED, "conformance": "mostly"}
    assert [message.id for message in check_accessibility_statement()] == ["core.E001"]
    assert "core.E001" in [message.id for message in checks.run_checks()]


def test_the_statement_is_in_the_projects_language(client, settings):
    settings.ACCESSIBILITY_STATEMENT = REVIEWED
    with translation.override("el"):
        page = client.get(reverse("accessibility_statement")).text
    assert "Δήλωση προσβασιμότητας" in page and "μερικώς" in page
