"""Logging: each event is written once, a forged Host header is logged, not mailed to ADMINS, and deployed
sites write one line per event naming its request."""

import io
import logging
import os
import sys
import threading
from concurrent.futures import wait

import pytest
from django.utils.log import AdminEmailHandler
from django.utils.module_loading import import_string

from ...core.testing import sends_mail
from ..log import ErrorMailHandler, OneLineFormatter

pytestmark = pytest.mark.django_db


def console_handlers_reached(logger_name, level):
    """The stream handlers a record of ``logger_name`` reaches, as logging would route it (pytest's own left out)."""
    record = logging.LogRecord(logger_name, level, __file__, 0, "event", None, None)
    reached, logger = [], logging.getLogger(logger_name)
    while logger:
        reached += [
            handler
            for handler in logger.handlers
            if isinstance(handler, logging.StreamHandler)
            and not type(handler).__module__.startswith("_pytest")
            and record.levelno >= handler.level
            and handler.filter(record)
        ]
        logger = logger.parent if logger.propagate else None
    return reached


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("logger_name", ["django.request", "django.security.DisallowedHost", "django.db.backends"])
def test_every_event_reaches_the_console_once(settings, debug, logger_name):
    settings.DEBUG = debug
    assert len(console_handlers_reached(logger_name, logging.WARNING)) == 1


class Records(logging.Handler):
    """Collects records without changing how the logger routes them (assertLogs would stop propagation)."""

    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


def test_a_forged_host_is_logged_not_mailed(client, settings, mailoutbox):
    settings.ADMINS = [("Admin", "admin@example.com")]
    logger, records = logging.getLogger("django.security.DisallowedHost"), Records()
    logger.addHandler(records)
    try:
        response = client.get("/", headers={"host": "forged.example"})
    finally:
        logger.removeHandler(records)
    assert response.status_code == 400
    assert len(records.records) == 1
    assert len(console_handlers_reached(logger.name, records.records[0].levelno)) == 1
    assert mailoutbox == []


@sends_mail
def test_server_errors_are_still_mailed(settings, mailoutbox):
    settings.ADMINS = [("Admin", "admin@example.com")]
    logging.getLogger("django.request").error("Internal Server Error: /boom/")
    assert len(mailoutbox) == 1


@pytest.fixture
def journal():
    """What uat and prod write to the journal (settings/deployed.py's console handler), as text."""
    from {{ cookiecutter.project_slug }}.settings.deployed import LOGGING as deployed_logging

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(OneLineFormatter(deployed_logging["formatters"]["journal"]["format"]))
    for name in deployed_logging["handlers"]["console"]["filters"]:
        handler.addFilter(import_string(deployed_logging["filters"][name]["()"])())
    logging.getLogger().addHandler(handler)
    yield stream
    logging.getLogger().removeHandler(handler)


def test_deployed_log_lines_name_the_client_and_nginx_request_id(client, journal):
    client.get("/nowhere/", headers={"X-Request-ID": "0f3c9a", "X-Forwarded-For": "203.0.113.7"})
    assert "WARNING django.request client=203.0.113.7 request=0f3c9a Not Found: /nowhere/\n" in journal.getvalue()


def test_a_deployed_traceback_stays_on_its_event_line(journal):
    try:
        raise ValueError("first line\nsecond line")
    except ValueError:
        logging.getLogger("{{ cookiecutter.project_slug }}").exception("Failed")
    (line,) = journal.getvalue().splitlines()
    assert line.startswith("ERROR {{ cookiecutter.project_slug }} client=- request=- Failed\\nTraceback")
    assert line.endswith("ValueError: first line\\nsecond line")


def error_record(message="connection refused"):
    """An error with its traceback, as Django logs a failed request."""
    try:
        raise ConnectionError(message)
    except ConnectionError:
        return logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: /", None, sys.exc_info()
        )


@sends_mail
def test_one_error_that_fails_every_request_is_mailed_once_per_interval(settings, mailoutbox, monkeypatch):
    settings.ADMINS = [("Admin", "admin@example.com")]
    handler, now = ErrorMailHandler(interval=300, in_background=False), [1000.0]
    monkeypatch.setattr("{{ cookiecutter.project_slug }}.operations.log.time.monotonic", lambda: now[0])
    for _ in range(200):
        handler.handle(error_record())
    handler.handle(error_record("another error"))
    assert len(mailoutbox) == 2
    now[0] += 301
    handler.handle(error_record())
    assert len(mailoutbox) == 3
    assert "199 more like it" in mailoutbox[-1].subject


@sends_mail
def test_errors_whose_messages_never_repeat_are_not_remembered_without_end(settings, mailoutbox, monkeypatch):
    settings.ADMINS = [("Admin", "admin@example.com")]
    handler, now = ErrorMailHandler(interval=300, in_background=False), [1000.0]
    monkeypatch.setattr("{{ cookiecutter.project_slug }}.operations.log.time.monotonic", lambda: now[0])
    monkeypatch.setattr("{{ cookiecutter.project_slug }}.operations.log.KEYS_KEPT", 20)
    for number in range(100):
        now[0] += 10
        handler.handle(error_record(f"no row {number}"))
    assert len(handler.last_mailed) <= 30
    assert len(mailoutbox) == 100


@sends_mail
def test_an_error_mail_never_holds_up_the_request_it_reports(settings, mailoutbox, monkeypatch):
    settings.ADMINS = [("Admin", "admin@example.com")]
    answer, sent = threading.Event(), []

    def a_mail_server_that_answers_when_told(handler, subject, message, *args, **kwargs):
        answer.wait(timeout=30)
        sent.append(subject)

    monkeypatch.setattr(AdminEmailHandler, "send_mail", a_mail_server_that_answers_when_told)
    handler = ErrorMailHandler()
    handler.handle(error_record())  # returns while the mail server has not answered
    assert sent == []
    answer.set()
    handler.flush()
    assert sent == ["ERROR: Internal Server Error: /"]


@sends_mail
# Python 3.12 warns of forking a process with threads: that is what gunicorn does, and what is tested here.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of fork")
def test_a_worker_forked_after_an_error_mail_sends_its_own(settings, mailoutbox, monkeypatch):
    """gunicorn forks its workers from a master that may have mailed an error already (preload_app)."""
    settings.ADMINS = [("Admin", "admin@example.com")]
    sent = []
    monkeypatch.setattr(AdminEmailHandler, "send_mail", lambda handler, subject, *args, **kwargs: sent.append(subject))
    handler = ErrorMailHandler(interval=0)
    handler.handle(error_record())
    handler.flush()
    reading, writing = os.pipe()
    worker = os.fork()
    if worker == 0:  # the worker: a mail of its own, sent within 10 s, or none
        try:
            handler.handle(error_record())
            wait(handler.pending, timeout=10)
            os.write(writing, str(len(sent)).encode())
        finally:
            os._exit(0)
    os.close(writing)
    said = os.read(reading, 16)
    os.waitpid(worker, 0)
    assert said == b"2"


def test_the_settings_mail_errors_through_it():
    from {{ cookiecutter.project_slug }}.settings.base import LOGGING as base_logging

    handler = base_logging["handlers"]["mail_admins"]
    assert import_string(handler["class"]) is ErrorMailHandler
    assert "in_background" not in handler and "interval" not in handler
