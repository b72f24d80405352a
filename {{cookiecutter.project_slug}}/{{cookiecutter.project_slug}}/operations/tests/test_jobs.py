"""SCHEDULED_JOBS and manage.py run_job, which their systemd timers start."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from ...core.testing import sends_mail

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", list(settings.SCHEDULED_JOBS))
def test_each_job_names_a_command_of_the_project(name):
    command, calendar = settings.SCHEDULED_JOBS[name]
    assert command[0] in get_commands()
    assert calendar and "\n" not in calendar


def test_a_job_runs_its_command(settings):
    settings.SCHEDULED_JOBS = {"sessions": (["clearsessions"], "daily")}
    call_command("run_job", "sessions")
    assert mail.outbox == []


@sends_mail
def test_a_job_that_fails_is_mailed_to_the_admins_and_fails(settings):
    settings.ADMINS = [("Ops", "ops@example.com")]
    settings.SCHEDULED_JOBS = {"broken": (["no_such_command"], "daily")}
    with pytest.raises(CommandError, match="Scheduled job broken failed: Unknown command: 'no_such_command'"):
        call_command("run_job", "broken")
    (message,) = mail.outbox
    assert "Scheduled job broken (manage.py no_such_command) failed" in message.subject
    assert message.to == ["ops@example.com"]


def test_an_unknown_job_is_one_line(settings):
    settings.SCHEDULED_JOBS = {"backup": (["backup"], "daily")}
    with pytest.raises(CommandError, match=r"^No scheduled job 'nightly': SCHEDULED_JOBS has backup\.$"):
        call_command("run_job", "nightly")
