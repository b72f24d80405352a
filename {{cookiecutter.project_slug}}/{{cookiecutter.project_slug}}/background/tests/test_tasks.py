"""Background tasks (background/tasks.py): run by the database worker as the user who enqueued them, failures
reported."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from ...core.current_user import acting_as
from ...core.testing import sends_mail
from ...core.tests.models import Note
from ..management.commands import task_worker
from ..tasks import enqueue, user_task

# The worker closes the database connection between tasks, as Django does after each request: a test that
# runs it in its own transaction would lose that transaction on PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True)


@user_task
def write_note(title):
    return Note.objects.create(title=title).pk


@user_task
def fail(reason):
    raise RuntimeError(reason)


def run_worker():
    # As the production worker runs it (task_worker): at verbosity 0, db_worker would hide failures.
    call_command("db_worker", batch=True, verbosity=1)


def test_a_task_runs_later_on_the_worker_as_the_user_who_enqueued_it(user):
    with acting_as(user):
        result = enqueue(write_note, "From the worker")
    assert not Note.objects.exists()  # enqueued, not run
    run_worker()
    result.refresh()
    note = Note.objects.get(pk=result.return_value)
    assert (note.title, note.created_by, note.modified_by) == ("From the worker", user, user)
    assert note.history.get().history_user == user


def test_a_task_enqueued_by_nobody_runs_as_nobody():
    result = enqueue(write_note, "From a script")
    run_worker()
    result.refresh()
    assert Note.objects.get(pk=result.return_value).created_by is None


@sends_mail
def test_a_failed_task_is_reported_to_the_admins_like_a_failed_request(user):
    with acting_as(user):
        result = enqueue(fail, "the printer is on fire")
    run_worker()
    result.refresh()
    assert result.status.name == "FAILED"
    (report,) = mail.outbox
    assert report.to == [address for _, address in settings.ADMINS]
    assert "test_tasks.fail" in report.subject
    assert "RuntimeError" in report.body and "the printer is on fire" in report.body


def test_the_worker_stops_between_tasks_once_a_deploy_made_another_release_current(tmp_path, monkeypatch):
    link = tmp_path / "current"
    link.symlink_to(settings.BASE_DIR)
    enqueue(write_note, "Before the deploy")

    def deploy(seconds):
        link.unlink()
        link.symlink_to(tmp_path)

    monkeypatch.setattr(task_worker.time, "sleep", deploy)
    call_command("task_worker", "--release-link", str(link), verbosity=0)
    assert Note.objects.get().title == "Before the deploy"
