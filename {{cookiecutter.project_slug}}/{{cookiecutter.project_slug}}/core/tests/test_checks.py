"""The guideline checks: each fires on a model or setting that breaks its guideline, and only there."""

import django_tables2 as tables
import pytest
from django.contrib.auth.models import AbstractUser, Group
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import models
from django.test.utils import isolate_apps

from ...core.checks import (
    TOOLBAR_MIDDLEWARE,
    check_audit_fields,
    check_debug_toolbar,
    check_models,
    check_static_files_storage,
    check_table_orderings,
    is_project_path,
)
from ...core.media import DatedUploadTo, ProtectedFileField
from ...core.models import LookupModel, UserDateAbstractModel
from ...core.tables import Table
from ...users.models import User
from .models import Note

PROJECT_APP = "{{ cookiecutter.project_slug }}.core"
OWN_TOOLBAR_CALLBACK = "{{ cookiecutter.project_slug }}.core.toolbar.show_toolbar"
ALWAYS_SHOW = f"{__name__}.always_show"


def always_show(request):
    return True


def found(messages):
    """(id, field name or model name) of each message, to compare with what a test expects."""
    return sorted((message.id, getattr(message.obj, "name", None) or message.obj.__name__) for message in messages)


@pytest.fixture
def project_app():
    """An app registry holding only the core app: models defined in a test join it, under app_label "core"."""
    with isolate_apps(PROJECT_APP) as registry:
        yield registry


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


def test_files_need_dated_upload_to(project_app):
    class Attachment(models.Model):
        bare = models.FileField()
        plain_folder = models.FileField(upload_to="files/")
        picture = models.ImageField(upload_to="pictures/")
        dated = models.FileField(upload_to=DatedUploadTo("files"))
        dated_picture = models.ImageField(upload_to=DatedUploadTo("pictures", daily=True))

    assert found(check_models(project_app.get_app_configs())) == [
        ("core.W003", "bare"),
        ("core.W003", "picture"),
        ("core.W003", "plain_folder"),
    ]


def test_protected_files_link_their_download_view(project_app):
    protected = DatedUploadTo("contracts", protected=True)

    class Contract(models.Model):
        plain = models.FileField(upload_to=protected)
        public = ProtectedFileField(upload_to=DatedUploadTo("contracts"))
        right = ProtectedFileField(upload_to=protected)

        def get_download_url(self):
            return f"/contracts/{self.pk}/download/"

    class Letter(models.Model):
        scan = ProtectedFileField(upload_to=protected)

    assert found(check_models(project_app.get_app_configs())) == [
        ("core.W009", "plain"),
        ("core.W009", "public"),
        ("core.W009", "scan"),
    ]


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
        attachment = models.FileField()
        related = models.ManyToManyField("self")

        class Meta:
            app_label = app.rpartition(".")[2]


@pytest.mark.parametrize(
    ("app", "expected"),
    [
        ("django.contrib.auth", []),
        (
            PROJECT_APP,
            [("core.W001", "code"), ("core.W002", "related"), ("core.W003", "attachment"), ("core.W004", "code")],
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


def test_an_ordering_needs_an_index_behind_it(project_app):
    class Office(models.Model):
        name = models.CharField(max_length=50, unique=True)

    class Case(models.Model):
        number = models.CharField(max_length=20)
        opened_on = models.DateField(db_index=True)
        due_on = models.DateField()
        office = models.ForeignKey(Office, on_delete=models.PROTECT)

        class Meta:
            ordering = ["-number", "opened_on", "office", "office__name", "pk"]

    class Step(models.Model):
        case = models.ForeignKey(Case, on_delete=models.CASCADE)
        due_on = models.DateField()

        class Meta:
            ordering = ["due_on"]
            indexes = [models.Index(fields=["case", "-due_on"], name="step_by_case")]

    messages = check_models(project_app.get_app_configs())
    assert found(messages) == [("core.W008", "Case"), ("core.W008", "Case")]
    # A path through a relation sorts after joining every row: no index of the cases' table serves it.
    assert [message.msg.split("'")[1] for message in messages] == ["number", "office__name"]


def test_a_sortable_table_column_needs_an_index_behind_it(project_app):
    class Office(models.Model):
        name = models.CharField(max_length=100, unique=True)

        class Meta:
            ordering = ["name"]

    class Permit(models.Model):
        title = models.CharField(max_length=200)
        issued_on = models.DateField(db_index=True)
        notes = models.TextField()
        # Indexed, but the table sorts by the office's name: a join of every row first.
        office = models.ForeignKey(Office, on_delete=models.PROTECT)

    class PermitTable(Table):
        office_name = tables.Column(accessor="office__name")

        class Meta:
            model = Permit
            fields = ["title", "issued_on", "notes", "office"]

    class QuietPermitTable(Table):
        office = tables.Column(orderable=False)

        class Meta:
            model = Permit
            fields = ["issued_on", "office"]

    messages = list(check_table_orderings([PermitTable, QuietPermitTable]))
    assert sorted(message.msg.split("'")[1] for message in messages) == ["notes", "office", "office__name", "title"]
    assert {message.obj for message in messages} == {PermitTable}
    assert {message.id for message in messages} == {"core.W008"}


def test_the_shipped_project_passes_while_djangos_own_models_would_not():
    # Django's models break the guidelines (an M2M without through); they must not be reported.
    assert Group.permissions.through._meta.auto_created
    assert User.groups.through._meta.auto_created
    messages = checks.run_checks(tags=[checks.Tags.models])
    assert [message for message in messages if message.id.startswith("core.")] == []


@pytest.mark.parametrize(
    ("debug", "middleware", "callback", "expected"),
    [
        (False, True, ALWAYS_SHOW, ["core.W006"]),
        (True, True, ALWAYS_SHOW, []),
        (False, False, ALWAYS_SHOW, []),
        (False, True, OWN_TOOLBAR_CALLBACK, []),
    ],
)
def test_toolbar_shown_without_debug(settings, debug, middleware, callback, expected):
    settings.DEBUG = debug
    settings.DEBUG_TOOLBAR = True
    if middleware:
        settings.MIDDLEWARE = [TOOLBAR_MIDDLEWARE, *settings.MIDDLEWARE]
    settings.DEBUG_TOOLBAR_CONFIG = {"SHOW_TOOLBAR_CALLBACK": callback}
    assert [message.id for message in check_debug_toolbar()] == expected


@pytest.mark.parametrize(
    ("backend", "expected"),
    [
        ("django.contrib.staticfiles.storage.StaticFilesStorage", ["core.W007"]),
        ("django.contrib.staticfiles.storage.ManifestStaticFilesStorage", []),
    ],
)
def test_deployments_need_manifest_static_files(settings, backend, expected):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": backend}}
    assert [message.id for message in check_static_files_storage()] == expected


def test_static_files_storage_is_a_deploy_check():
    """The test settings use plain storage: only ``check --deploy`` reports it."""
    assert "core.W007" not in [message.id for message in checks.run_checks()]
    assert "core.W007" in [message.id for message in checks.run_checks(include_deployment_checks=True)]


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
