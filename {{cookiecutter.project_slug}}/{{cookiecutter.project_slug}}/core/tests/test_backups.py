"""manage.py backup and restore on the test database (SQLite here; the template's tests run them on PostgreSQL)."""

import io
import json
import posixpath
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def backup_root(settings, tmp_path):
    settings.BACKUP_ROOT = tmp_path / "backups"
    return settings.BACKUP_ROOT


@pytest.fixture
def uploads(media_root):
    files = {"protected/letters/2026/11/payslip.pdf": b"%PDF-1.7 \x00\xff", "logos/logo.png": b"\x89PNG\r\n"}
    for name, content in files.items():
        (media_root / name).parent.mkdir(parents=True, exist_ok=True)
        (media_root / name).write_bytes(content)
    return files


def backup(*arguments):
    """manage.py backup: the new backup's folder, which it prints last."""
    output = io.StringIO()
    call_command("backup", *arguments, stdout=output)
    return Path(output.getvalue().splitlines()[-1])


def restore(*arguments):
    call_command("restore", *arguments, stdout=io.StringIO())


def usernames():
    return sorted(get_user_model().objects.values_list("username", flat=True))


def media(media_root):
    return {
        path.relative_to(media_root).as_posix(): path.read_bytes() for path in media_root.rglob("*") if path.is_file()
    }


def test_a_restore_puts_back_every_row_and_every_file(backup_root, media_root, uploads, user, other_user):
    taken = backup()
    other_user.delete()
    get_user_model().objects.create_user(username="carol")
    (media_root / "logos/logo.png").write_bytes(b"changed")
    (media_root / "new.txt").write_text("added later")

    restore(taken.name, "--replace")

    assert usernames() == ["alice", "bob"]
    assert media(media_root) == uploads
    # What the restore replaced was backed up first: nothing is lost.
    (before_restore,) = set(backup_root.iterdir()) - {taken}
    assert (before_restore / "manifest.json").read_text().count("new.txt") == 1


def test_a_restore_refuses_a_database_in_use_without_replace(backup_root, media_root, uploads, user):
    taken = backup()
    get_user_model().objects.create_user(username="carol")
    with pytest.raises(CommandError, match=r"^The database and media folder are not empty: restore with --replace"):
        restore(taken.name)
    assert usernames() == ["alice", "carol"]
    assert len(list(backup_root.iterdir())) == 1


def test_a_changed_backup_file_is_refused(backup_root, media_root, uploads):
    taken = backup()
    with open(taken / "media.tar", "ab") as archive:
        archive.write(b"\x00")
    with pytest.raises(CommandError, match="is not the file that was backed up"):
        restore(str(taken), "--replace")
    assert media(media_root) == uploads


def test_backups_are_rotated_and_latest_is_the_newest(backup_root, media_root, uploads):
    taken = [backup("--keep", "2") for _ in range(3)]
    assert sorted(backup_root.iterdir()) == taken[1:]
    (media_root / "logos/logo.png").unlink()
    restore("latest", "--replace")
    assert media(media_root) == uploads


def test_an_unknown_backup_is_named_with_the_newest_ones(backup_root, uploads):
    taken = backup()
    with pytest.raises(CommandError, match=rf"^No backup 'yesterday' \(the newest: {taken.name}\)\.$"):
        restore("yesterday")


def stored(storage, folder=""):
    """{name: bytes} of every file in ``storage``."""
    folders, files = storage.listdir(folder)
    contents = {posixpath.join(folder, name): storage.open(posixpath.join(folder, name)).read() for name in files}
    for name in folders:
        contents.update(stored(storage, posixpath.join(folder, name)))
    return contents


def test_media_of_another_storage_are_backed_up_and_restored_by_name(backup_root, media_root, uploads, settings):
    """An object store's bucket, through Django's storage API (InMemoryStorage stands in for it): a backup of the
    disk restores into it with the same names, and a backup of it restores it."""
    from_disk = backup()
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    restore(from_disk.name, "--replace")
    assert stored(default_storage) == uploads

    from_storage = backup()
    default_storage.delete("logos/logo.png")
    default_storage.save("new.txt", ContentFile(b"added later"))
    restore(from_storage.name, "--replace")

    assert stored(default_storage) == uploads
    assert json.loads((from_storage / "manifest.json").read_text())["media"]["files"].keys() == uploads.keys()
