"""manage.py backup: the database and the media folder into a new folder under BACKUP_ROOT, then rotation.

The nightly job "backup" (SCHEDULED_JOBS) runs it; every deploy
(deploy/release.py) runs it with --deploy: the database alone, before the migrations, in BACKUP_ROOT/deploys.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ... import backups

logger = logging.getLogger(__name__)
# As many as the releases a deploy keeps (deploy/release.py --keep): one for each release one can go back to.
DEPLOY_BACKUPS_KEPT = 5


class Command(BaseCommand):
    help = "Back up the database and the media folder (protected files included) into BACKUP_ROOT."

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep",
            type=int,
            help="backups of this kind to keep, the newest; older ones are deleted (default: BACKUP_KEEP, "
            f"{settings.BACKUP_KEEP}; with --deploy, {DEPLOY_BACKUPS_KEPT})",
        )
        parser.add_argument(
            "--deploy",
            action="store_true",
            help="a deploy's backup: the database alone (the nightly ones have the media), in BACKUP_ROOT/deploys",
        )

    def handle(self, *args, keep, deploy, **options):
        keep = keep if keep is not None else DEPLOY_BACKUPS_KEPT if deploy else settings.BACKUP_KEEP
        if keep < 1:
            raise CommandError("--keep must be at least 1: the backup just taken is one.")
        root = Path(settings.BACKUP_ROOT) / backups.DEPLOYS if deploy else None
        try:
            backup = backups.create(root, with_media=not deploy)
        except Exception as error:
            # For the journal; a nightly run's failure is mailed to ADMINS by run_job, like every job's.
            logger.exception("Backup failed")
            raise CommandError(f"Backup failed: {error}") from error
        for old in backups.rotate(keep, root):
            self.stdout.write(f"Deleted the old backup {old.name}.")
        self.stdout.write(str(backup))
