"""manage.py delete_orphan_uploads: files in the upload folders that no row names, not even in its history.

An upload whose form then failed (or whose row was deleted) leaves its file behind, and every backup would
carry it. Only the folders of DatedUploadTo fields are looked at, and only files older than --hours (a day):
a file being uploaded right now is not yet any row's.
"""

from datetime import timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import models
from django.utils import timezone

from ...media import DatedUploadTo, protected_folder

BATCH = 1000


class Command(BaseCommand):
    help = "Delete uploads no row names (nor its history), older than --hours."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="leave files younger than this (default 24)")
        parser.add_argument("--dry-run", action="store_true", help="list them, delete nothing")

    def handle(self, *args, hours, dry_run, **options):
        if hours < 1:
            raise CommandError("--hours must be at least 1: a file being uploaded is no row's yet.")
        cutoff = timezone.now() - timedelta(hours=hours)
        folders, columns = upload_folders()
        deleted = 0
        for names in batches(name for folder in folders for name in files_under(folder)):
            named = set()
            for model, column in columns:
                named.update(model._base_manager.filter(**{f"{column}__in": names}).values_list(column, flat=True))
            for name in names:
                if name not in named and default_storage.get_modified_time(name) < cutoff:
                    self.stdout.write(f"{'Would delete' if dry_run else 'Deleted'} {name}")
                    if not dry_run:
                        default_storage.delete(name)
                    deleted += 1
        self.stdout.write(f"{deleted} orphan upload(s) {'found' if dry_run else 'deleted'}.")


def upload_folders():
    """The folders of the DatedUploadTo fields (none inside another), and every (model, column) that may name
    a file in them: the fields, and the same columns of their historical models."""
    folders, columns = set(), []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and isinstance(field.upload_to, DatedUploadTo):
                upload_to = field.upload_to
                folders.add(f"{protected_folder()}/{upload_to.folder}" if upload_to.protected else upload_to.folder)
                columns.append((model, field.name))
                history = getattr(model, "history", None)
                if history is not None:
                    columns.append((history.model, field.name))
    outermost = {folder for folder in folders if not any(folder.startswith(f"{other}/") for other in folders)}
    return sorted(outermost), columns


def files_under(folder):
    try:
        subfolders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for subfolder in subfolders:
        yield from files_under(f"{folder}/{subfolder}")


def batches(names):
    batch = []
    for name in names:
        batch.append(name)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
