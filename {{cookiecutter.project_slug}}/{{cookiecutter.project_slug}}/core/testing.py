"""What every app's tests check the same way: who may act on whose rows, in which language, and what a list
page costs."""

import datetime
import itertools
import re
import uuid
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation.trans_real import DjangoTranslation
from stdnum import luhn
from stdnum.gr import vat

from .identifiers import CompactField, CompactFormField, SocialSecurityNumberField, TaxNumberField

# For tests that send mail: Django 6.1 warns that it wants the MAILERS setting and plain addresses in
# ADMINS, which Django 5.2 LTS does not know. Only these two warnings are ignored, only there.
sends_mail = pytest.mark.filterwarnings(
    "ignore:Django 2028 will not have a default mailer", r"ignore:Using \(name, address\) pairs in the ADMINS setting"
)

# The permission each kind of user holds, and so what they may do with a row that someone else created.
PERMISSION = {"viewer": "view", "changer": "change", "deleter": "delete"}
MAY = {
    "owner": {"view", "change", "delete"},
    "other": set(),
    "viewer": {"view"},
    # As in Django's admin, whoever may change rows may also see them.
    "changer": {"view", "change"},
    "deleter": {"delete"},
    "superuser": {"view", "change", "delete"},
}


class RowPermissionTests:
    """The permission matrix of an app's views of a model built on UserDateAbstractModel.

    Subclass it in the app's tests (named ``Test...``), with ``namespace`` (the app's URL
    namespace), ``url_name_prefix`` (what the model's URL names start with: "permit_" for
    "permit_list"; none for plain "list", "detail"...), ``edit_data(row)`` (a valid form for the
    update view) and a ``row`` fixture that ``user`` owns. ACTIONS maps each action to the
    permission it needs; "edit" and "delete" post to the update and delete URLs, the others fetch
    the page of that name. Add an app's other pages (its history, a download) to it: apps made
    before a page was in the app template keep passing. Rows a user may not act
    on answer 404, as if they did not exist; anonymous users go to the login page.
    """

    namespace = None
    url_name_prefix = ""
    ACTIONS = {
        "list": "view",
        "detail": "view",
        "update": "change",
        "edit": "change",
        "confirm_delete": "delete",
        "delete": "delete",
    }

    def edit_data(self, row):
        raise NotImplementedError

    def pytest_generate_tests(self, metafunc):
        if "action" in metafunc.fixturenames:
            metafunc.parametrize("action", list(self.ACTIONS))
        if "role" in metafunc.fixturenames:
            metafunc.parametrize("role", list(MAY))

    def url(self, name, *args):
        return reverse(f"{self.namespace}:{self.url_name_prefix}{name}", args=args)

    def send(self, client, action, row):
        if action == "list":
            return client.get(self.url("list"))
        if action == "edit":
            return client.post(self.url("update", row.pk), self.edit_data(row))
        if action == "delete":
            return client.post(self.url("delete", row.pk))
        name = "delete" if action == "confirm_delete" else action
        return client.get(self.url(name, row.pk))

    @pytest.fixture
    def log_in_as(self, client, user, django_user_model):
        def log_in(role, model):
            if role == "owner":
                client.force_login(user)
            elif role == "superuser":
                client.force_login(django_user_model.objects.create_superuser(username="root", password="x"))
            else:
                someone = django_user_model.objects.create_user(username=role, password="x")
                if role in PERMISSION:
                    someone.user_permissions.add(
                        Permission.objects.get(
                            content_type=ContentType.objects.get_for_model(model),
                            codename=get_permission_codename(PERMISSION[role], model._meta),
                        )
                    )
                client.force_login(someone)
            return client

        return log_in

    def test_every_page_is_in_the_projects_language(self, client, user, row):
        """Each page the owner sees, the create form included, has every string translated into the project's
        language (settings.test keeps it in PROJECT_LANGUAGE_CODE): nothing to check in an English project."""
        client.force_login(user)
        if "edit" in self.ACTIONS:  # a read-only model's pages have no form
            assert self.send(client, "edit", row).status_code == 302  # so that the History page shows a change
        try:
            create_url = self.url("create")
        except NoReverseMatch:
            create_url = None
        with translation.override(settings.PROJECT_LANGUAGE_CODE), untranslated_strings() as missing:
            for action in self.ACTIONS.keys() - {"edit", "delete"}:
                assert self.send(client, action, row).status_code == 200, action
            if create_url:
                assert client.get(create_url).status_code == 200
        assert not missing, f"not translated into {settings.PROJECT_LANGUAGE_CODE}: {sorted(missing)}"

    def test_anonymous_users_are_sent_to_log_in(self, client, row, action):
        before = model_to_dict(row)
        response = self.send(client, action, row)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        assert model_to_dict(type(row).objects.get(pk=row.pk)) == before

    def test_each_role_may_do_exactly_what_its_permissions_say(self, log_in_as, row, role, action):
        model, before = type(row), model_to_dict(row)
        response = self.send(log_in_as(role, model), action, row)
        allowed = self.ACTIONS[action] in MAY[role]
        if action == "list":
            assert response.status_code == 200
            assert (str(row) in response.text) == allowed
        elif action in {"edit", "delete"} and allowed:
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if allowed else 404)
        if action == "delete" and allowed:
            assert not model.objects.filter(pk=row.pk).exists()
        elif action == "edit" and allowed:
            assert model_to_dict(model.objects.get(pk=row.pk)) != before
        else:
            assert model_to_dict(model.objects.get(pk=row.pk)) == before


# Asked of gettext but never shown: django-filter translates the name of each lookup it labels ("exact").
NEVER_SHOWN = {"exact"}


@contextmanager
def untranslated_strings():
    """The set of the strings that gettext found no translation for while the block ran (English needs none)."""
    missing = set()
    gettext = DjangoTranslation.gettext

    def recording_gettext(catalogue, message):
        translated = gettext(catalogue, message)
        shown = message not in NEVER_SHOWN and re.search("[A-Za-z]", message)
        if translated == message and shown and not catalogue.language().startswith("en"):
            missing.add(message)
        return translated

    with mock.patch.object(DjangoTranslation, "gettext", recording_gettext):
        yield missing


def assert_query_count_does_not_grow(client, url, add_row, rows=50):
    """Fetches ``url`` with one row, then with ``rows``: the page must cost the same number of queries."""

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add_row()
    with_one = count_queries()
    for _ in range(rows - 1):
        add_row()
    assert count_queries() == with_one


# Query strings anybody can send to a list page: each must give a page (or a 404), never a server error,
# and never a page of more than the table's maximum rows.
HOSTILE_LIST_QUERIES = [
    "per_page=-1",
    "per_page=0",
    "per_page=abc",
    "per_page=99999999999999999999",
    "page=-1",
    "page=abc",
    "page=99999999999999999999",
    "sort=no_such_column",
    "sort=-",
    "title=" + "x" * 50_000,
    "title=%00",
    "category=abc",
    "category=99999999999999999999999",
]


def assert_list_survives(client, url, query):
    response = client.get(f"{url}?{query}")
    assert response.status_code in (200, 404), query[:40]
    if response.status_code == 200:
        table = response.context["table"]
        assert 1 <= table.paginator.per_page <= table.max_per_page


def formset_data(prefix, rows=(), initial=0):
    """POST data of an inline formset: its management form, then each row's fields as prefix-N-field."""
    data = {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": initial}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def found_by_checks(messages):
    """(id, field name or model name) of each system check message, to compare with what a test expects."""
    return sorted((message.id, getattr(message.obj, "name", None) or message.obj.__name__) for message in messages)


# Numbers for example values: every row gets its own, so unique fields stay unique.
EXAMPLE_NUMBERS = itertools.count(1)


def example_row(model, **values):
    """A saved row of ``model`` whose other required fields hold example values, each required relation a row
    of its own made the same way: for the tests of apps whose models nobody wrote by hand (access_startapp)."""
    for field in model._meta.concrete_fields:
        optional = field.null or field.has_default() or field.primary_key or not field.editable
        if field.name in values or field.attname in values or optional:
            continue
        values[field.name] = example_value(field)
    return model.objects.create(**values)


def example_value(field):
    number = next(EXAMPLE_NUMBERS)
    if field.is_relation:
        return example_row(field.related_model)
    if isinstance(field, models.FileField):
        return ContentFile(f"Example {number}".encode(), name=f"example-{number}.txt")
    if isinstance(field, CompactField):
        return example_identifier(field, number)
    if isinstance(field, models.CharField | models.TextField):
        text = f"Example {number}"
        return text if len(text) <= (field.max_length or len(text)) else f"E{number}"[: field.max_length]
    if isinstance(field, models.BooleanField):
        return True
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.DateTimeField):
        return timezone.now() - datetime.timedelta(days=number)
    if isinstance(field, models.DateField):
        return timezone.localdate() - datetime.timedelta(days=number)
    if isinstance(field, models.DecimalField):
        return Decimal(number)
    if isinstance(field, models.FloatField):
        return float(number)
    if isinstance(field, models.IntegerField):
        return number % 32_000  # within a SmallIntegerField's range
    raise TypeError(f"no example value for {field.__class__.__name__} {field}")


def example_identifier(field, number):
    """A valid Greek identifier of ``field``'s kind, another for each ``number``."""
    if isinstance(field, TaxNumberField):
        digits = f"{number % 10**8:08d}"
        return digits + vat.calc_check_digit(digits)
    if isinstance(field, SocialSecurityNumberField):
        digits = f"010180{number % 10**4:04d}"  # born on 1 January 1980
        return digits + luhn.calc_check_digit(digits)
    return f"{10000 + number % 80000}"  # a postal code


def form_data(form_class, row, change=False):
    """What ``form_class``, shown for ``row``, posts when nobody edits it; with ``change``, its first field that
    can change does: a text gets a new value, a number one more, a date a day later, a yes/no the other."""
    form = form_class(instance=row)
    data = {name: form[name].value() for name in form.fields}
    # A file is posted as an upload of the one the row has.
    data.update(
        {
            name: uploaded(form.initial.get(name))
            for name, field in form.fields.items()
            if field.widget.needs_multipart_form
        }
    )
    if change:
        own_values = [name for name, field in form.fields.items() if not isinstance(field, forms.ModelChoiceField)]
        name = next(name for name in own_values if changed(data[name], form.fields[name]) is not None)
        data[name] = changed(data[name], form.fields[name])
    return {name: "" if value is None else value for name, value in data.items() if value is not False}


def uploaded(file):
    """A stored file (a FieldFile) as a browser posts it again: an upload of its name and bytes."""
    return SimpleUploadedFile(file.name.rsplit("/", 1)[-1], file.read()) if file else ""


def changed(value, field):
    """Another value that ``field`` (a form field) takes, or None."""
    if isinstance(value, bool):
        return not value
    if isinstance(field, CompactFormField):  # "changed 094259216" is no ΑΦΜ
        return None
    if isinstance(field, forms.FileField):
        return SimpleUploadedFile("changed.txt", b"changed")
    if value is None or value == "":
        return first_value(field)
    if isinstance(value, str):
        return f"changed {value}"[: getattr(field, "max_length", None) or None]
    if isinstance(value, int | float | Decimal):
        return value + 1
    if isinstance(value, datetime.date):
        return value + datetime.timedelta(days=1)
    return None


def first_value(field):
    """A value for an empty form ``field``, or None."""
    if isinstance(field, forms.UUIDField):
        return uuid.uuid4()
    if isinstance(field, forms.DateTimeField):
        return timezone.now().replace(microsecond=0)
    if isinstance(field, forms.DateField):
        return timezone.localdate()
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return 1
    if isinstance(field, forms.CharField):
        return "changed"[: field.max_length or None]
    return None
