"""manage.py dev_setup: a development database where every page works at once, and only there."""

import json

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from ...core.tests.models import Note
from ..management.commands import dev_setup

pytestmark = pytest.mark.django_db


def test_creates_a_superuser_and_prints_how_to_log_in(development_database, capsys):
    call_command("dev_setup")
    output = capsys.readouterr().out
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    password = output.split("password ")[1].split()[0]
    assert user.check_password(password)


def test_a_second_run_keeps_the_superuser_and_its_password(development_database, capsys):
    call_command("dev_setup")
    password_hash = get_user_model().objects.get(username="admin").password
    call_command("dev_setup")
    assert get_user_model().objects.get(username="admin").password == password_hash
    assert "already" in capsys.readouterr().out


def test_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("dev_setup")
    assert not get_user_model().objects.exists()


def test_refuses_any_database_but_the_projects_development_one(settings, tmp_path):
    """A production host running manage.py without DJANGO_SETTINGS_MODULE gets the dev settings and its own
    local.py: DEBUG is on there, but its database is no development database."""
    settings.DEBUG = True
    settings.BASE_DIR = tmp_path  # a project folder with neither db.sqlite3 nor a cluster in .pgdata
    with pytest.raises(CommandError, match="development database"):
        call_command("dev_setup")
    assert not get_user_model().objects.exists()


def postgres(port, host="127.0.0.1"):
    return {"ENGINE": "django.db.backends.postgresql", "NAME": "x", "HOST": host, "PORT": port}


def test_the_development_databases_are_the_sqlite_file_and_the_local_cluster(tmp_path, monkeypatch):
    base = tmp_path
    monkeypatch.setattr(django_settings, "BASE_DIR", base, raising=False)
    sqlite = {"ENGINE": "django.db.backends.sqlite3"}
    assert dev_setup.is_development_database({**sqlite, "NAME": base / "db.sqlite3"})
    assert dev_setup.is_development_database({**sqlite, "NAME": str(base / "db.sqlite3")})
    assert not dev_setup.is_development_database({**sqlite, "NAME": base / "other.sqlite3"})
    assert not dev_setup.is_development_database({**sqlite, "NAME": ":memory:"})
    assert not dev_setup.is_development_database(postgres("5432"))  # no cluster of the project's own
    (base / ".pgdata").mkdir()
    (base / ".pgdata" / "postgresql.conf").write_text("#port = 5432\nport = 54321\n")
    assert dev_setup.is_development_database(postgres("54321"))
    assert dev_setup.is_development_database(postgres(54321, host="localhost"))
    assert not dev_setup.is_development_database(postgres("5432"))
    assert not dev_setup.is_development_database(postgres("54321", host="db.example.com"))


def test_example_data_never_overwrites_rows_that_exist(development_database, tmp_path, monkeypatch, capsys):
    fixture = tmp_path / "example_data.json"
    dates = {"created_on": "2026-01-01T00:00:00Z", "modified_on": "2026-01-01T00:00:00Z"}
    rows = [{"model": "core.note", "pk": pk, "fields": {"title": f"Example {pk}", **dates}} for pk in (1, 2)]
    fixture.write_text(json.dumps(rows))
    only_core = {"core": fixture}
    monkeypatch.setattr(dev_setup, "example_data_path", lambda app: only_core.get(app.label, tmp_path / "none"))
    Note.objects.create(pk=1, title="A colleague's note")
    call_command("dev_setup")
    assert dict(Note.objects.values_list("pk", "title")) == {1: "A colleague's note", 2: "Example 2"}
    assert "Example data of core: 1 row added, 1 kept as it was." in capsys.readouterr().out
