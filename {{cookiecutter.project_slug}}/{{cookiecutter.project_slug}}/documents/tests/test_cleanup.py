"""django-cleanup: replaced and deleted files leave the disk once the transaction commits."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


def test_replaced_file_is_removed(document, media_root, django_capture_on_commit_callbacks):
    old_path = media_root / document.file.name
    assert old_path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        document.file = SimpleUploadedFile("new.pdf", b"new")
        document.save()
    assert not old_path.exists()
    assert (media_root / document.file.name).read_bytes() == b"new"


def test_deleted_document_takes_its_file_along(document, media_root, django_capture_on_commit_callbacks):
    path = media_root / document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert not path.exists()


def test_nothing_is_removed_before_commit(document, media_root, django_capture_on_commit_callbacks):
    path = media_root / document.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document.delete()
    assert path.exists()
    assert callbacks, "django-cleanup should wait for the commit"
