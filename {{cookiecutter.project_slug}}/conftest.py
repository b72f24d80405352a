import pytest
from django.apps import apps
from django.test.utils import isolate_apps
from hypothesis import settings

# A loaded CI machine can stall any single example: judge the fuzz tests on results, not speed.
settings.register_profile("project", deadline=None)
settings.load_profile("project")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The tables of core/tests/models.py's Note, never migrated: the tests of every app may use it."""
    from django.db import connection

    from {{ cookiecutter.project_slug }}.core.tests.models import Note

    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.create_model(Note)
        editor.create_model(Note.history.model)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test's uploads go to a temporary folder, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SENDFILE_ROOT = settings.MEDIA_ROOT / "protected"
    return settings.MEDIA_ROOT


@pytest.fixture
def development_database(settings, monkeypatch):
    """For manage.py dev_setup, which runs on the development database only: the test database stands for it."""
    from {{ cookiecutter.project_slug }}.devtools.management.commands import dev_setup

    settings.DEBUG = True
    monkeypatch.setattr(dev_setup, "is_development_database", lambda settings_dict: True)


@pytest.fixture
def password():
    return "a-long-test-password"


@pytest.fixture
def user(django_user_model, password):
    return django_user_model.objects.create_user(username="alice", password=password)


@pytest.fixture
def other_user(django_user_model, password):
    return django_user_model.objects.create_user(username="bob", password=password)


@pytest.fixture
def alice_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def project_app(request):
    """For tests of the guideline checks: an app registry holding only the app of the test's module. Models a
    test defines join it, and only they are checked."""
    app = apps.get_containing_app_config(request.module.__name__)
    with isolate_apps(app.name) as registry:
        yield registry
