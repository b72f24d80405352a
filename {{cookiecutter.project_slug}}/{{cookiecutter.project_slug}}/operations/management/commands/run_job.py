"""manage.py run_job NAME: one of SCHEDULED_JOBS, as its systemd timer starts it (deploy/release.py installs them).

Nobody watches a job at night: one that fails is logged to the journal and mailed to ADMINS (once an interval,
like a failed request: operations/log.py), and exits non-zero, so systemctl --user list-timers and the
journal show it too.
"""

import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

logger = logging.getLogger("{{ cookiecutter.project_slug }}.operations.jobs")


class Command(BaseCommand):
    help = "Run one of SCHEDULED_JOBS by name; a failure is mailed to ADMINS."

    def add_arguments(self, parser):
        parser.add_argument("name", help=f"one of: {', '.join(settings.SCHEDULED_JOBS)}")

    def handle(self, *args, name, **options):
        if name not in settings.SCHEDULED_JOBS:
            raise CommandError(f"No scheduled job {name!r}: SCHEDULED_JOBS has {', '.join(settings.SCHEDULED_JOBS)}.")
        command, _calendar = settings.SCHEDULED_JOBS[name]
        try:
            call_command(*command, stdout=self.stdout, stderr=self.stderr)
        except (Exception, SystemExit) as error:
            logger.error("Scheduled job %s (manage.py %s) failed", name, " ".join(command), exc_info=True)
            raise CommandError(f"Scheduled job {name} failed: {error}") from error
