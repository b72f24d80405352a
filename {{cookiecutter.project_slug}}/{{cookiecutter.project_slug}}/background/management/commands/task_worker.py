"""manage.py task_worker: runs background tasks (background/tasks.py) until a deploy makes another release current.

django-tasks-db's ``db_worker --batch`` runs the tasks waiting in the database; this command runs it again
every few seconds, and stops between two batches once ``--release-link`` (/srv/<project>/current) points
at another release than the one it runs: systemd (deploy/<project>-worker.service) then starts it in the
new release. A task is never cut short by a deploy. Without --release-link it runs until stopped.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Runs background tasks until --release-link points at another release (a deploy)."

    def add_arguments(self, parser):
        parser.add_argument("--release-link", type=Path, help="the link to the current release, e.g. /srv/app/current")
        parser.add_argument("--interval", type=float, default=2, help="seconds between looks for new tasks")

    def handle(self, **options):
        release = Path(settings.BASE_DIR).resolve()
        link = options["release_link"]
        while link is None or link.resolve() == release:
            # Verbosity 0 would make db_worker raise its loggers to CRITICAL, and so hide failed tasks.
            call_command("db_worker", batch=True, verbosity=max(1, options["verbosity"]))
            time.sleep(options["interval"])
        self.stdout.write(f"{link} points at {link.resolve().name}: stopping, to be started there.")
