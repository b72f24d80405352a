"""manage.py delete_orphan_uploads: a file goes when no row names it, nor its history, and it is a day old."""

import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from ...core.tests.models import Note

pytestmark = pytest.mark.django_db


def aged(name, hours):
    """``name`` in the storage, last changed ``hours`` ago."""
    then = time.time() - hours * 3600
    os.utime(default_storage.path(name), (then, then))
    return name


def stored(name, hours=48):
    return aged(default_storage.save(name, ContentFile(b"bytes")), hours)


def orphan_uploads(*options):
    output = io.StringIO()
    call_command("delete_orphan_uploads", *options, stdout=output)
    return output.getvalue()


def test_only_old_files_that_no_row_and_no_history_names_are_deleted():
    note = Note.objects.create(title="named", attachment=ContentFile(b"kept", name="σημείωμα.txt"))
    aged(note.attachment.name, 48)
    replaced = Note.objects.create(title="replaced", attachment=ContentFile(b"old", name="old.txt"))
    in_history_only = aged(replaced.attachment.name, 48)
    replaced.attachment = ContentFile(b"new", name="new.txt")
    replaced.save()
    aged(replaced.attachment.name, 48)
    orphan = stored("notes/2020/01/orphan.txt")
    fresh = stored("notes/2020/01/uploading-now.txt", hours=1)
    elsewhere = stored("logos/logo.png")

    listed = orphan_uploads("--dry-run")
    assert listed.splitlines() == [f"Would delete {orphan}", "1 orphan upload(s) found."]
    assert default_storage.exists(orphan)

    assert orphan_uploads().splitlines() == [f"Deleted {orphan}", "1 orphan upload(s) deleted."]
    assert not default_storage.exists(orphan)
    for name in (note.attachment.name, in_history_only, replaced.attachment.name, fresh, elsewhere):
        assert default_storage.exists(name), name


def test_no_upload_folder_yet_is_nothing_to_do():
    assert orphan_uploads().splitlines() == ["0 orphan upload(s) deleted."]


def test_a_file_being_uploaded_is_never_old_enough():
    with pytest.raises(CommandError, match="--hours must be at least 1"):
        orphan_uploads("--hours", "0")
