"""manage.py backup and restore on the test database (SQLite here; the template's tests run them on PostgreSQL)."""

import hashlib
import io
import json
import os
import posixpath
import shutil
import stat
import tarfile
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
    with open(taken / "media" / "logos" / "logo.png", "ab") as copy:
        copy.write(b"\x00")
    with pytest.raises(CommandError, match="media differs from the manifest's list of files, at logos/logo.png"):
        restore(str(taken), "--replace")
    assert media(media_root) == uploads


def test_backups_are_rotated_and_latest_is_the_newest(backup_root, media_root, uploads):
    taken = [backup("--keep", "2") for _ in range(3)]
    assert sorted(backup_root.iterdir()) == taken[1:]
    (media_root / "logos/logo.png").unlink()
    restore("latest", "--replace")
    assert media(media_root) == uploads


def test_a_deploys_backup_holds_the_database_alone_and_keeps_out_of_the_nightly_rotation(
    backup_root, media_root, uploads, user, other_user
):
    """Media are the nightly backup's: a deploy's backup is for undoing its migrations, so it is quick."""
    nightly = backup("--keep", "1")
    deploys = [backup("--deploy", "--keep", "2") for _ in range(3)]
    assert [path.parent for path in deploys] == [backup_root / "deploys"] * 3
    assert sorted((backup_root / "deploys").iterdir()) == deploys[1:]
    assert sorted(path.name for path in deploys[-1].iterdir()) == ["database.dump", "manifest.json"]
    # The nightly rotation neither counts nor deletes them, and "latest" is still the nightly one.
    assert backup("--keep", "1") != nightly and (backup_root / "deploys").is_dir()
    assert len(list((backup_root / "deploys").iterdir())) == 2

    other_user.delete()
    (media_root / "new.txt").write_text("uploaded after the deploy")
    restore(f"deploys/{deploys[-1].name}", "--replace")
    assert usernames() == ["alice", "bob"]
    # The media stay as they are: the restore is of the database the migrations changed.
    assert media(media_root) == {**uploads, "new.txt": b"uploaded after the deploy"}


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


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def server_umask():
    """A server's usual umask (022): new files readable by every account, unless the code says otherwise."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_backups_are_readable_by_their_owner_alone(backup_root, uploads, server_umask):
    """They hold session keys, two-step secrets, password hashes and every protected upload."""
    taken = backup()
    assert mode(backup_root) == 0o700
    assert mode(taken) == 0o700
    assert {path.relative_to(taken).as_posix(): mode(path) for path in taken.rglob("*")} == {
        "database.dump": 0o600,
        "manifest.json": 0o600,
        "media": 0o700,
        "media/logos": 0o700,
        "media/logos/logo.png": 0o600,
        "media/protected": 0o700,
        "media/protected/letters": 0o700,
        "media/protected/letters/2026": 0o700,
        "media/protected/letters/2026/11": 0o700,
        "media/protected/letters/2026/11/payslip.pdf": 0o600,
    }


def test_a_file_unchanged_since_the_backup_before_takes_no_space(backup_root, media_root, uploads, user):
    """A hard link to the earlier backup's copy; a changed or new file is a copy. Each backup stays whole."""
    first = backup()
    (media_root / "logos" / "logo.png").write_bytes(b"a new logo")
    (media_root / "logos" / "second.png").write_bytes(b"one more")
    second = backup()
    payslip = "protected/letters/2026/11/payslip.pdf"
    assert (second / "media" / payslip).stat().st_ino == (first / "media" / payslip).stat().st_ino
    assert (second / "media" / "logos/logo.png").stat().st_ino != (first / "media" / "logos/logo.png").stat().st_ino
    assert (second / "media" / "logos/second.png").stat().st_nlink == 1
    shutil.rmtree(first)
    restore(second.name, "--replace")
    assert media(media_root) == {**uploads, "logos/logo.png": b"a new logo", "logos/second.png": b"one more"}


def test_a_backup_made_when_media_were_an_archive_restores(backup_root, media_root, uploads, user):
    taken = backup()
    forge(taken, {member("logos/logo.png"): b"from the archive"})
    restore(taken.name, "--replace")
    assert media(media_root) == {"logos/logo.png": b"from the archive"}


@pytest.mark.parametrize("hostile", ["symlink", "fifo"])
def test_a_media_folder_with_what_no_backup_holds_is_refused_before_anything_changes(
    backup_root, media_root, uploads, user, hostile
):
    taken = backup()
    leak = taken / "media" / "logos" / "leak"
    leak.symlink_to("/etc/passwd") if hostile == "symlink" else os.mkfifo(leak)
    with pytest.raises(CommandError, match="'logos/leak', which no media backup does"):
        restore(taken.name, "--replace")
    assert media(media_root) == uploads
    assert list(backup_root.iterdir()) == [taken], "nothing to save: nothing was touched"


def forge(backup_folder, members):
    """Make the backup one of those taken when media were an archive, media.tar holding ``members`` ({TarInfo:
    bytes or None}), with the manifest's checksum and list of files made to match, as someone who can write
    to the backups could: the manifest only guards against accidents."""
    shutil.rmtree(backup_folder / "media")
    archive = backup_folder / "media.tar"
    with tarfile.open(archive, "w") as tar:
        for member, content in members.items():
            member.size = len(content or b"")
            tar.addfile(member, io.BytesIO(content) if content is not None else None)
    manifest = json.loads((backup_folder / "manifest.json").read_text())
    manifest["media"]["sha256"] = hashlib.sha256(archive.read_bytes()).hexdigest()
    manifest["media"]["files"] = {
        posixpath.normpath(member.name): hashlib.sha256(content).hexdigest()
        for member, content in members.items()
        if member.isfile()
    }
    (backup_folder / "manifest.json").write_text(json.dumps(manifest))


def member(name, kind=tarfile.REGTYPE, target="", mode=0o644):
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.mode = kind, target, mode
    return info


@pytest.mark.parametrize(
    "hostile",
    [
        {member("logos/leak", tarfile.SYMTYPE, "/etc/passwd"): None},
        {member("logos/leak", tarfile.LNKTYPE, "/etc/passwd"): None},
        {member("../outside.txt"): b"escaped"},
        {member("/tmp/absolute.txt"): b"escaped"},
        {member("logos/fifo", tarfile.FIFOTYPE): None},
    ],
    ids=["symlink", "hard link", "parent folder", "absolute", "fifo"],
)
def test_a_crafted_archive_is_refused_before_anything_changes(backup_root, media_root, uploads, user, hostile):
    taken = backup()
    forge(taken, {member("logos/logo.png"): b"\x89PNG\r\n", **hostile})
    get_user_model().objects.create_user(username="carol")
    with pytest.raises(CommandError, match="which no media backup does"):
        restore(taken.name, "--replace")
    assert usernames() == ["alice", "carol"]
    assert media(media_root) == uploads
    assert list(backup_root.iterdir()) == [taken], "nothing to save: nothing was touched"


def test_an_archive_that_differs_from_its_list_of_files_is_refused_before_anything_changes(
    backup_root, media_root, uploads, user
):
    taken = backup()
    manifest = json.loads((taken / "manifest.json").read_text())
    manifest["media"]["files"]["logos/logo.png"] = "0" * 64
    (taken / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="logos/logo.png"):
        restore(taken.name, "--replace")
    assert media(media_root) == uploads
    assert usernames() == ["alice"]


@pytest.mark.parametrize("damage", ["database.dump", "manifest.json"])
def test_a_damaged_database_copy_or_manifest_is_refused_before_anything_changes(
    backup_root, media_root, uploads, user, damage
):
    taken = backup()
    (taken / damage).write_bytes(b"not what it was")
    if damage == "database.dump":
        manifest = json.loads((taken / "manifest.json").read_text())
        manifest["database"]["sha256"] = hashlib.sha256(b"not what it was").hexdigest()
        (taken / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match=damage):
        restore(taken.name, "--replace")
    assert media(media_root) == uploads
    assert usernames() == ["alice"]


def test_the_safety_backup_goes_to_backup_root_whatever_the_backup_restored(
    backup_root, media_root, uploads, tmp_path, server_umask
):
    """A backup restored from a USB stick or /tmp: what it replaces is saved where backups live, not beside it."""
    stick = tmp_path / "usb-stick"
    shutil.copytree(backup(), stick / "2026-01-01T00-00-00")
    before = set(backup_root.iterdir())
    output = io.StringIO()
    call_command("restore", str(stick / "2026-01-01T00-00-00"), "--replace", stdout=output)
    (safety,) = set(backup_root.iterdir()) - before
    assert list(stick.iterdir()) == [stick / "2026-01-01T00-00-00"]
    assert f"What was there before is in {safety}." in output.getvalue()
    assert mode(safety) == 0o700


def test_restored_media_get_the_modes_the_site_gives_them(backup_root, media_root, uploads, server_umask):
    """Never a set-user-ID bit or a file every account may change, whatever the archive says (no Python has to
    have tar's extraction filters for this)."""
    taken = backup()
    forge(taken, {member("logos", tarfile.DIRTYPE, mode=0o777): None, member("logos/run", mode=0o4777): b"x"})
    restore(taken.name, "--replace")
    assert mode(media_root / "logos") == 0o750
    assert mode(media_root / "logos" / "run") == 0o640
