"""The guideline checks of models (core/checks.py): each fires on a model that breaks its guideline, and only there.

The other apps test their own checks; the fixture project_app is in the project's conftest.py.
"""

import pytest
from django.contrib.auth.models import AbstractUser, Group
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import models
from django.test.utils import isolate_apps

from ...users.models import User
from ..checks import check_audit_fields, check_models, is_project_path
from ..models import LookupModel, UserDateAbstractModel
from ..testing import found_by_checks as found
from .models import Note

PROJECT_APP = "{{ cookiecutter.project_slug }}.core"


def test_choices_are_flagged_a_lookup_foreign_key_is_not(project_app):
    class Status(models.Model):
        name = models.CharField(max_length=50)

    class Ticket(models.Model):
        priority = models.CharField(max_length=10, choices=[("low", "Low"), ("high", "High")])
        status = models.ForeignKey(Status, on_delete=models.PROTECT)

    assert found(check_models(project_app.get_app_configs())) == [("core.W001", "priority")]


def test_many_to_many_needs_an_explicit_through_model(project_app):
    class Tag(models.Model):
        name = models.CharField(max_length=50)

    class Article(models.Model):
        loose_tags = models.ManyToManyField(Tag, related_name="+")
        tags = models.ManyToManyField(Tag, through="Tagging", related_name="articles")

    class Tagging(models.Model):
        article = models.ForeignKey(Article, on_delete=models.CASCADE)
        tag = models.ForeignKey(Tag, on_delete=models.CASCADE)

    assert found(check_models(project_app.get_app_configs())) == [("core.W002", "loose_tags")]


def test_models_keep_audit_fields_or_say_why_not(project_app):
    class Permit(models.Model):
        title = models.CharField(max_length=100)

    class Office(LookupModel):
        pass

    class Licence(UserDateAbstractModel):
        pass

    class Country(models.Model):
        without_audit_fields = "ISO reference data, loaded by a migration"

    class Member(AbstractUser):
        """Django's user model keeps its own design (date_joined, last_login)."""

    assert found(check_audit_fields(project_app.get_app_configs())) == [("core.W010", "Permit")]


def test_primary_keys_must_be_auto_integers(project_app):
    class Country(models.Model):
        code = models.CharField(max_length=2, primary_key=True)

    class Token(models.Model):
        key = models.UUIDField(primary_key=True)

    class Membership(models.Model):
        pk = models.CompositePrimaryKey("team", "person")
        team = models.IntegerField()
        person = models.IntegerField()

    class Place(models.Model):
        name = models.CharField(max_length=50)

    class Restaurant(Place):
        """Multi-table inheritance: its key is the parent's."""

    class Counter(models.Model):
        id = models.SmallAutoField(primary_key=True)

    assert found(check_models(project_app.get_app_configs())) == [
        ("core.W004", "code"),
        ("core.W004", "key"),
        ("core.W004", "pk"),
    ]


def test_audit_models_need_the_current_request_middleware(project_app, settings):
    class Invoice(UserDateAbstractModel):
        number = models.CharField(max_length=20)

    assert check_models(project_app.get_app_configs()) == []
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if not name.endswith(".CurrentRequestMiddleware")]
    assert found(check_models(project_app.get_app_configs())) == [("core.W005", "Invoice")]


def define_legacy_model(app):
    class Legacy(models.Model):
        code = models.CharField(max_length=5, primary_key=True, choices=[("a", "A")])
        related = models.ManyToManyField("self")

        class Meta:
            app_label = app.rpartition(".")[2]


@pytest.mark.parametrize(
    ("app", "expected"),
    [
        ("django.contrib.auth", []),
        (
            PROJECT_APP,
            [("core.W001", "code"), ("core.W002", "related"), ("core.W004", "code")],
        ),
    ],
)
def test_only_the_projects_own_apps_are_checked(app, expected):
    with isolate_apps(app) as registry:
        define_legacy_model(app)
        assert found(check_models(registry.get_app_configs())) == expected


def test_fields_inherited_from_djangos_abstract_models_are_not_checked(project_app):
    class Member(AbstractUser):
        clubs = models.ManyToManyField("self")

    assert found(check_models(project_app.get_app_configs())) == [("core.W002", "clubs")]


def test_the_shipped_project_passes_while_djangos_own_models_would_not():
    # Django's models break the guidelines (an M2M without through); they must not be reported.
    assert Group.permissions.through._meta.auto_created
    assert User.groups.through._meta.auto_created
    messages = checks.run_checks(tags=[checks.Tags.models])
    assert [message for message in messages if message.id.startswith("core.")] == []


def test_a_check_is_silenced_the_usual_django_way(settings):
    assert Note._meta.app_label == "core"  # an audit model of the project, so core.W005 has something to report
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if not name.endswith(".CurrentRequestMiddleware")]
    with pytest.raises(SystemCheckError, match=r"core\.W005"):
        call_command("check", "--fail-level", "WARNING")
    settings.SILENCED_SYSTEM_CHECKS = ["core.W005"]
    call_command("check", "--fail-level", "WARNING")


@pytest.mark.parametrize(
    ("relative", "ours"),
    [
        ("permits/models.py", True),
        ("{{ cookiecutter.project_slug }}/core/models.py", True),
        (".venv/lib/python3.12/site-packages/thirdparty/models.py", False),
        ("env/src/editable_install/models.py", False),
        ("vendor/lib/dist-packages/thing/models.py", False),
    ],
)
def test_project_code_is_what_lives_under_base_dir_outside_virtualenvs(settings, tmp_path, relative, ours):
    settings.BASE_DIR = tmp_path
    for virtualenv in (".venv", "env"):
        (tmp_path / virtualenv).mkdir()
        (tmp_path / virtualenv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    assert is_project_path(path) == ours
    assert not is_project_path(tmp_path.parent / "elsewhere" / "models.py")
