"""Backups of the database and the media (protected files included), one folder per backup.

    BACKUP_ROOT/2026-11-30T02-30-00/
        database.dump    pg_dump's custom format (a copy of the database file on SQLite)
        media/           the media as they were (MEDIA_ROOT, or the bucket of an object store), each file that
                         is unchanged since the backup before a hard link to its copy there: no space taken
        manifest.json    the SHA-256 of the database copy and of every media file, checked by a restore
    BACKUP_ROOT/deploys/2026-12-05T10-15-00/
        database.dump, manifest.json   a deploy's, before its migrations: the database alone, rotated apart

pg_dump and pg_restore are used directly, not through django-dbbackup: a restore has to refuse a
database that is not empty and put back the database and the files together, checked byte for
byte, and PostgreSQL's own tools do exactly what docs/operate.md says they do, on every Django version.
Each backup's folder is whole: delete any of them and the others keep their files (rsync -H copies the links
as links). Backups made before media were a folder have a media.tar instead, and restore all the same.
A backup is written under a hidden name and renamed when complete, so a failed one never looks usable.
Backups hold session keys, two-step secrets, password hashes and every protected upload: the folders
are the owner's alone (0700, files 0600), whatever the umask.

The manifest guards against accidents (a truncated copy, a bad disk), not against someone who can write
to the backups: they can change a file and its checksum alike. A restore therefore checks everything it
will write (the manifest, the database copy's checksum and the copy itself, every media file's checksum,
names and kinds) before it changes anything, and writes files with the modes the site gives its uploads.
"""

import hashlib
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.utils import timezone

DATABASE, MEDIA, MANIFEST = "database.dump", "media", "manifest.json"
# The media of a backup made before they were a folder of hard links.
MEDIA_ARCHIVE = "media.tar"
PRIVATE_FOLDER, PRIVATE_FILE = 0o700, 0o600
# What a restore gives media, as the site's own uploads have them: the project's user and its group (nginx).
MEDIA_FOLDER, MEDIA_FILE = 0o750, 0o640


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in one line."""


DEPLOYS = "deploys"


def create(root=None, *, with_media=True):
    """Back up the database and, ``with_media``, the media into a new folder under ``root`` (BACKUP_ROOT);
    returns it."""
    root = Path(root or settings.BACKUP_ROOT)
    root.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    root.chmod(PRIVATE_FOLDER)
    name = timezone.localtime().strftime("%Y-%m-%dT%H-%M-%S")
    while (root / name).exists():
        name += "-1"
    partial = root / f".{name}.partial"
    partial.mkdir(mode=PRIVATE_FOLDER)
    partial.chmod(PRIVATE_FOLDER)  # mkdir's mode passes through the umask
    try:
        dump_database(partial / DATABASE)
        manifest = {
            "database": {"vendor": connection.vendor, "sha256": sha256(partial / DATABASE)},
            "media": None,
            "release": Path(settings.BASE_DIR).name,
        }
        if with_media:
            files = copy_media(stored_media(), partial / MEDIA, newest_media_folder(root))
            manifest["media"] = {"files": files}
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        for file in (partial / DATABASE, partial / MANIFEST):
            file.chmod(PRIVATE_FILE)
        partial.rename(root / name)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return root / name


def newest_media_folder(root):
    """The media folder of the newest backup in ``root`` that has one, with its manifest's files: (folder, files)."""
    for backup in reversed(backups(root)):
        if (backup / MEDIA).is_dir():
            manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
            return backup / MEDIA, manifest["media"]["files"]
    return None, {}


def copy_media(media, target, newest):
    """Every file of ``media`` into the folder ``target``, the owner's alone; a file whose checksum the newest
    backup's list has for its name is a hard link to the copy there. Returns {name: SHA-256}."""
    earlier_folder, earlier = newest
    files = {}
    target.mkdir(mode=PRIVATE_FOLDER)
    for name in media.names():
        copy = target / name
        for folder in reversed(copy.relative_to(target).parents[:-1]):
            (target / folder).mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
        with media.open(name) as source:
            digest = sha256(source)
        if earlier.get(name) == digest:
            try:
                os.link(earlier_folder / name, copy)
                files[name] = digest
                continue
            except OSError:  # a backup folder on a share without hard links: a copy then
                pass
        with media.open(name) as source, open(copy, "xb") as written:
            files[name] = copy_hashing(source, written)
        copy.chmod(PRIVATE_FILE)
    for folder in (path for path in target.rglob("*") if path.is_dir()):
        folder.chmod(PRIVATE_FOLDER)  # mkdir's mode passes through the umask
    target.chmod(PRIVATE_FOLDER)
    return files


def copy_hashing(source, target):
    """Copy the file ``source`` into ``target``; its SHA-256, of the bytes copied (it may have changed since)."""
    digest = hashlib.sha256()
    for block in iter(lambda: source.read(1 << 20), b""):
        digest.update(block)
        target.write(block)
    return digest.hexdigest()


def backups(root=None):
    """The complete backups under ``root``, oldest first."""
    root = Path(root or settings.BACKUP_ROOT)
    return sorted(path for path in root.glob("[!.]*") if (path / MANIFEST).is_file()) if root.exists() else []


def rotate(keep, root=None):
    """Delete all but the ``keep`` newest backups; returns the deleted folders."""
    old = backups(root)[:-keep] if keep > 0 else []
    for path in old:
        shutil.rmtree(path)
    return old


def find(name, root=None):
    """A backup by folder name or path, or the newest for "latest"."""
    available = backups(root)
    if name == "latest" and available:
        return available[-1]
    path = Path(name) if Path(name).is_absolute() else Path(root or settings.BACKUP_ROOT) / name
    if path not in available and not (path / MANIFEST).is_file():
        newest = ", ".join(backup.name for backup in available[-3:]) or "none"
        raise BackupError(f"No backup {name!r} (the newest: {newest}).")
    return path


def restore(path, *, replace=False):
    """Put the database and the media back as they were in the backup at ``path``.

    Checks the whole backup first. Refuses a database with tables, or media, unless ``replace``: then
    they are backed up first, into BACKUP_ROOT (the returned folder, else None), and replaced.
    """
    path = Path(path)
    manifest = checked_manifest(path)
    with_media = manifest["media"] is not None
    media = stored_media()
    parts = [("database", table_names()), *([(media.description, media.has_files())] if with_media else [])]
    in_use = [name for name, used in parts if used]
    if in_use and not replace:
        raise BackupError(
            f"The {' and '.join(in_use)} {'are' if len(in_use) > 1 else 'is'} not empty: "
            "restore with --replace to replace them (they are backed up first)."
        )
    safety_backup = create(with_media=with_media) if in_use else None
    try:
        restore_database(path / DATABASE)
        if with_media and (path / MEDIA).is_dir():
            media.replace_from_folder(path / MEDIA, manifest["media"]["files"])
        elif with_media:
            media.replace_from(path / MEDIA_ARCHIVE)
        if with_media and media.files() != manifest["media"]["files"]:
            raise BackupError(f"The restored {media.description} differs from the backup's list of files: {media}.")
    except BackupError as error:
        if safety_backup:
            raise BackupError(f"{error} What was there before is in {safety_backup}.") from error
        raise
    return safety_backup


def checked_manifest(path):
    """The backup's manifest, once the database copy and the media are what it says, file by file."""
    archived = not (path / MEDIA).is_dir()
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        with_media = manifest["media"] is not None
        parts = [(DATABASE, "database"), *([(MEDIA_ARCHIVE, "media")] if with_media and archived else [])]
        expected = {part: manifest[part]["sha256"] for _, part in parts}
        vendor = manifest["database"]["vendor"]
        files = dict(manifest["media"]["files"]) if with_media else None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{path / MANIFEST} cannot be read as a backup's manifest ({error}).") from None
    for file, part in parts:
        if sha256(path / file) != expected[part]:
            raise BackupError(f"{path / file} is not the file that was backed up (its SHA-256 differs).")
    if vendor != connection.vendor:
        raise BackupError(f"The backup is of a {vendor} database, this one is {connection.vendor}.")
    check_database_copy(path / DATABASE)
    if files is None:
        return manifest
    if archived:
        with tarfile.open(path / MEDIA_ARCHIVE) as tar:
            found = {
                posixpath.normpath(member.name): sha256(tar.extractfile(member))
                for member in media_members(tar, path / MEDIA_ARCHIVE)
                if member.isfile()
            }
    else:
        found = media_folder_files(path / MEDIA)
    if found != files:
        different = sorted(set(found.items()) ^ set(files.items()))
        where = path / (MEDIA_ARCHIVE if archived else MEDIA)
        raise BackupError(f"{where} differs from the manifest's list of files, at {different[0][0]}.")
    return manifest


def media_folder_files(folder):
    """{name: SHA-256} of a backup's media folder, refusing anything a media backup never holds (links, devices)."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            raise BackupError(f"{folder} holds {path.relative_to(folder).as_posix()!r}, which no media backup does.")
        if path.is_file():
            files[path.relative_to(folder).as_posix()] = sha256(path)
    return files


def check_database_copy(source):
    """The copy can be read back: pg_restore lists a dump, SQLite checks a database file."""
    if connection.vendor == "postgresql":
        try:
            run_postgres("pg_restore", "--list", f"--file={os.devnull}", str(source))
        except BackupError as error:
            raise BackupError(f"{source} is no readable database dump ({error}).") from None
        return
    try:
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as copy:
            result = copy.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        result = str(error)
    if result != "ok":
        raise BackupError(f"{source} is no readable database ({result}).")


def dump_database(target):
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(target)) as copy:
            connection.connection.backup(copy)
    elif connection.vendor == "postgresql":
        run_postgres("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}")
    else:
        raise BackupError(f"Backups know PostgreSQL and SQLite, not {connection.vendor}.")


def restore_database(source):
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(source)) as backup:
            backup.backup(connection.connection)
        return
    with connection.cursor() as cursor:
        for table in table_names():
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    connection.close()
    options = ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    run_postgres("pg_restore", *options, str(source), dbname_option=True)


def table_names():
    return connection.introspection.table_names()


def run_postgres(program, *arguments, dbname_option=False):
    """A PostgreSQL client program, connected as Django is (DATABASES["default"], password in the environment)."""
    database = connection.settings_dict
    _, environment = connection.client.settings_to_cmd_args_env(database, [])
    environment = {**os.environ, **(environment or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGDATABASE", "NAME")):
        if database.get(key):
            environment[variable] = str(database[key])
    command = [program, *arguments]
    if dbname_option:
        command.insert(1, f"--dbname={database['NAME']}")
    try:
        result = subprocess.run(command, env=environment, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(
            f"{program} is missing: apt install postgresql-client (the server's version or newer)."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")


def stored_media():
    """Where the media are: MEDIA_ROOT on this disk, or the storage STORAGES["default"] names (an object store)."""
    if isinstance(default_storage, FileSystemStorage):
        return MediaFolder(Path(settings.MEDIA_ROOT).resolve())  # a release's media/ links to the shared folder
    return MediaInStorage(default_storage)


def media_members(tar, archive):
    """The archive's files and folders, refusing anything a media backup never holds (links, absolute paths, ..),
    with the modes and owner the site gives its uploads, whatever the archive says."""
    members = tar.getmembers()
    for member in members:
        name = Path(member.name)
        if not (member.isfile() or member.isdir()) or name.is_absolute() or ".." in name.parts:
            raise BackupError(f"{archive} holds {member.name!r}, which no media backup does.")
        member.mode = MEDIA_FOLDER if member.isdir() else MEDIA_FILE
        # The restoring user owns them: tarfile sets owners only when root restores, and -1 is chown's "as is".
        member.uid, member.gid, member.uname, member.gname = -1, -1, "", ""
    return members


class MediaFolder:
    description = "media folder"

    def __init__(self, path):
        self.path = path

    def __str__(self):
        return str(self.path)

    def names(self):
        """Each file's path under the folder (never a link: what it leads to is no upload of the site's)."""
        if not self.path.exists():
            return []
        files = (path for path in self.path.rglob("*") if path.is_file() and not path.is_symlink())
        return sorted(path.relative_to(self.path).as_posix() for path in files)

    def open(self, name):
        return open(self.path / name, "rb")

    def has_files(self):
        return bool(self.names())

    def files(self):
        """{path under the folder: SHA-256} of every file in it."""
        return {name: sha256(self.path / name) for name in self.names()}

    def empty(self):
        """The folder without its content; the folder itself (maybe a link or a mount) stays."""
        self.path.mkdir(parents=True, exist_ok=True)
        for child in self.path.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()

    def replace_from_folder(self, folder, files):
        """The folder's content replaced by the backup's media ``folder`` (its ``files``, checked already)."""
        self.empty()
        for name in files:
            target = self.path / name
            for parent in reversed(target.relative_to(self.path).parents[:-1]):
                (self.path / parent).mkdir(mode=MEDIA_FOLDER, exist_ok=True)
                (self.path / parent).chmod(MEDIA_FOLDER)
            with open(folder / name, "rb") as source, open(target, "xb") as written:
                shutil.copyfileobj(source, written)
            target.chmod(MEDIA_FILE)

    def replace_from(self, archive):
        """The folder's content replaced by a media.tar's (a backup made before media were a folder)."""
        self.empty()
        with tarfile.open(archive) as tar:
            members = media_members(tar, archive)
            # Python 3.11.2 (Debian 12) has no extraction filters: media_members() does the "data" filter's work.
            tar.extractall(self.path, members, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
        # Folders too, which the "data" filter leaves to the umask.
        for folder in (path for path in self.path.rglob("*") if path.is_dir()):
            folder.chmod(MEDIA_FOLDER)


class MediaInStorage:
    """The media of a storage other than the disk (an object store's bucket), through Django's storage API.

    Its names are those of a media folder's files, so a backup of either restores into the other.
    """

    description = "media storage"

    def __init__(self, storage):
        self.storage = storage

    def __str__(self):
        return f"{type(self.storage).__name__} {getattr(self.storage, 'bucket_name', '')}".rstrip()

    def names(self, folder=""):
        folders, files = self.storage.listdir(folder)
        for name in sorted(files):
            yield posixpath.join(folder, name)
        for name in sorted(folders):
            yield from self.names(posixpath.join(folder, name))

    def open(self, name):
        return self.storage.open(name)

    def has_files(self):
        return next(self.names(), None) is not None

    def files(self):
        return {name: sha256(self.storage.open(name)) for name in sorted(self.names())}

    def replace_from_folder(self, folder, files):
        for name in list(self.names()):
            self.storage.delete(name)
        for name in files:
            with open(folder / name, "rb") as content:
                self.storage.save(name, File(content, name=name))

    def replace_from(self, archive):
        for name in list(self.names()):
            self.storage.delete(name)
        with tarfile.open(archive) as tar:
            for member in media_members(tar, archive):
                if member.isfile():
                    name = posixpath.normpath(member.name)
                    with tar.extractfile(member) as content:
                        self.storage.save(name, File(content, name=name))


def sha256(path_or_file):
    digest = hashlib.sha256()
    with open(path_or_file, "rb") if isinstance(path_or_file, (str, Path)) else path_or_file as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
