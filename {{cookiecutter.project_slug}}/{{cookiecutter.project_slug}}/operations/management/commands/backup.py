"""manage.py backup: the database and the media folder into a new folder under BACKUP_ROOT, then rotation.

The nightly timer (deploy/{{ cookiecutter.project_slug }}-backup.timer) and every deploy
(deploy/release.py) run it.
"""

import logging
import traceback

from django.conf import settings
from django.core.mail import mail_admins
from django.core.management.base import BaseCommand, CommandError

from ... import backups

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Back up the database and the media folder (protected files included) into BACKUP_ROOT."

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep",
            type=int,
            default=settings.BACKUP_KEEP,
            help="backups to keep, the newest; older ones are deleted (default BACKUP_KEEP: %(default)s)",
        )

    def handle(self, *args, keep, **options):
        if keep < 1:
            raise CommandError("--keep must be at least 1: the backup just taken is one.")
        try:
            backup = backups.create()
        except Exception as error:
            # A nightly run has nobody watching: the journal, the error reports and ADMINS hear of it.
            logger.exception("Backup failed")
            mail_admins("Backup failed", traceback.format_exc(), fail_silently=True)
            raise CommandError(f"Backup failed: {error}") from error
        for old in backups.rotate(keep):
            self.stdout.write(f"Deleted the old backup {old.name}.")
        self.stdout.write(str(backup))
