"""/health/ answers yes or no for monitors and the deploy; the reason for a no goes to the log only."""

import datetime
import logging
import threading

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from health_check.checks import Storage

from ...core.testing import sends_mail

# An unhealthy answer is a 503, which Django logs as an error and mails to ADMINS.
pytestmark = sends_mail


def test_a_healthy_site_says_ok_and_nothing_more(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain"
    assert "no-cache" in response["Cache-Control"]


def test_a_media_folder_that_cannot_be_written_is_unhealthy(client, db, settings, tmp_path, caplog):
    not_a_folder = tmp_path / "media"
    not_a_folder.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = not_a_folder
    with caplog.at_level(logging.WARNING, logger="health_check"):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.content == b"unhealthy\n"
    assert str(not_a_folder) in caplog.text  # the reason, in the log only


@pytest.mark.django_db(transaction=True)
def test_code_whose_migrations_did_not_run_is_unhealthy(client, caplog):
    recorder = MigrationRecorder(connection)
    app, name = max(recorder.applied_migrations())
    recorder.record_unapplied(app, name)
    try:
        with caplog.at_level(logging.WARNING, logger="health_check"):
            response = client.get("/health/")
    finally:
        recorder.record_applied(app, name)
    assert response.status_code == 503
    assert response.content == b"unhealthy\n"
    assert "migrations are not applied" in caplog.text
    assert client.get("/health/").status_code == 200


def test_a_check_that_hangs_is_unhealthy_at_its_timeout_without_waiting_for_it(client, db, monkeypatch):
    """A store that hangs keeps its check's thread waiting for the client's own timeouts, a minute or more:
    the answer comes at the check's timeout all the same, before gunicorn would kill the worker."""
    hanging, released, finished = threading.Event(), threading.Event(), threading.Event()

    def hang(check):
        hanging.set()
        released.wait(10)
        finished.set()

    monkeypatch.setattr(Storage, "timeout", datetime.timedelta(seconds=0.1))
    monkeypatch.setattr(Storage, "run", hang)
    try:
        response = client.get("/health/")
        still_hanging = hanging.is_set() and not finished.is_set()
    finally:
        released.set()
    assert response.status_code == 503
    assert still_hanging
