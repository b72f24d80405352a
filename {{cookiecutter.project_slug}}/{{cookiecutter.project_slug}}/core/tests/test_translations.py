"""The project's own pages in Greek: every string of theirs is translated (locale/el)."""

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from ..checks import declared_fields, project_models
from ..testing import untranslated_strings
from .models import Note

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


def test_every_field_the_project_declares_is_named_in_the_projects_language():
    """A field without its own verbose_name is named after its attribute, in English, in every form, list
    and admin page of a Greek project: the audit fields were ("Created by", "Modified on")."""
    unnamed = [
        f"{model._meta.label}.{field.name}"
        for model in project_models(None)
        # Not the tests' own models, nor an app made from an Access file, named in the file's own words.
        if ".tests." not in model.__module__ and not Path(model._meta.app_config.path, "access.json").exists()
        for field in declared_fields(model)
        if not field.auto_created and not isinstance(field.verbose_name, Promise)
    ]
    assert unnamed == []


def test_the_admin_is_in_greek_its_third_party_apps_included(admin_client):
    """3.1.2: Django's own Greek catalogue lacks the admin's newer strings, and axes and the tasks backend have
    none; locale_supplement.py lists them for locale/el. Each page a superuser opens first: every app's list
    and add form."""
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
    with translation.override("el"), untranslated_strings() as missing:
        for page in pages:
            assert admin_client.get(page).status_code in (200, 403), page  # 403: results nobody adds by hand
    # The names of the project's own apps, models and fields: its catalogues' (RowPermissionTests checks them).
    own = set()
    for model in project_models(None):
        meta = model._meta
        own |= {str(meta.verbose_name), str(meta.verbose_name_plural), str(meta.app_config.verbose_name)}
        own |= {str(field.verbose_name) for field in meta.get_fields() if hasattr(field, "verbose_name")}
    assert sorted(missing - own) == []


def test_a_models_history_is_named_in_the_projects_language():
    """3.1.2: django-simple-history names them "historical <name>", in English (the permissions' admin shows
    it: "Can view historical έγγραφο")."""
    with translation.override("el"):
        assert str(Note.history.model._meta.verbose_name) == f"{Note._meta.verbose_name}: έκδοση"
        assert str(Note.history.model._meta.verbose_name_plural) == f"{Note._meta.verbose_name_plural}: εκδόσεις"
