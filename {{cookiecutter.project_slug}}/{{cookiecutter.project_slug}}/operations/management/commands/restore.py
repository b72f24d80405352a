"""manage.py restore BACKUP: the database and the media folder as they were in a backup (manage.py backup)."""

from django.core.management.base import BaseCommand, CommandError

from ... import backups


class Command(BaseCommand):
    help = "Restore the database and the media folder from a backup folder under BACKUP_ROOT (or 'latest')."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the backup's folder name or path, or 'latest'")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace a database that has tables and a media folder that has files (both backed up first)",
        )

    def handle(self, *args, backup, replace, **options):
        try:
            path = backups.find(backup)
            self.stdout.write(f"Restoring {path} ...")
            safety_backup = backups.restore(path, replace=replace)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        if safety_backup:
            self.stdout.write(f"What was there before is in {safety_backup}.")
        self.stdout.write(self.style.SUCCESS(f"Restored {path.name}: every row and every media file."))
