"""Uploaded files: where they go (dated folders, ASCII names) and how they reach people.

Files under SENDFILE_ROOT are protected: only permission-checking views hand them out
(protected_file_response), and no URL serves them as public media, in development either. Their
fields are ProtectedFileFields, whose ``url`` is such a view.
"""

import posixpath
import re
from pathlib import Path, PurePath, PurePosixPath

from anyascii import anyascii
from django import forms
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.urls import re_path
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import slugify
from django.views.static import serve
from django_sendfile import sendfile

# Room left for the "_abc1234" suffix storages add when a name is taken.
COLLISION_SUFFIX_LENGTH = 8
MAX_EXTENSION_LENGTH = 10
MIN_NAME_LENGTH = len("file.") + MAX_EXTENSION_LENGTH
# Public media a browser may show; any other file is downloaded, never opened as a page of the site.
SHOWN_INLINE = re.compile(r"\.(png|jpe?g|gif|webp|avif)$", re.IGNORECASE)
FOLDER_PATTERN = re.compile(r"[a-z0-9_-]+(/[a-z0-9_-]+)*")


def protected_folder():
    """SENDFILE_ROOT relative to MEDIA_ROOT, e.g. "protected": where protected uploads go."""
    return PurePath(settings.SENDFILE_ROOT).relative_to(settings.MEDIA_ROOT).as_posix()


def ascii_file_name(filename):
    """'Δοκιμή.PDF' -> 'dokimi.pdf': an ASCII slug of the base name, extension kept."""
    base_name = PurePath(filename.replace("\\", "/")).name
    stem, dot, extension = base_name.rpartition(".")
    if not dot:
        stem, extension = extension, ""
    stem = slugify(anyascii(stem)) or "file"
    extension = slugify(anyascii(extension)).replace("-", "")[:MAX_EXTENSION_LENGTH]
    return f"{stem}.{extension}" if extension else stem


@deconstructible
class DatedUploadTo:
    """``upload_to`` for FileField/ImageField: ``<folder>/<year>/<month>[/<day>]/<ascii-name>``.

    Use ``protected=True`` for files that only permission-checking views may
    hand out: they go under SENDFILE_ROOT, which nginx never serves directly.
    Pass the field's ``max_length`` when it is not the default 100.
    """

    def __init__(self, folder, *, protected=False, daily=False, max_length=100):
        if not FOLDER_PATTERN.fullmatch(folder):
            raise ValueError(f"upload folder {folder!r} must be a relative path of lowercase slugs")
        self.folder = folder
        self.protected = protected
        self.daily = daily
        self.max_length = max_length

    def __call__(self, instance, filename):
        date_format = "%Y/%m/%d" if self.daily else "%Y/%m"
        folder = PurePosixPath(self.folder, timezone.localdate().strftime(date_format))
        if self.protected:
            folder = PurePosixPath(protected_folder(), folder)
        room = self.max_length - len(f"{folder}/") - COLLISION_SUFFIX_LENGTH
        if room < MIN_NAME_LENGTH:
            raise ValueError(f"max_length {self.max_length} leaves too little room for names in {folder}/")
        stem, dot, extension = ascii_file_name(filename).partition(".")
        # slugify() never starts a stem with "-" or "_", so the stripped cut is never empty.
        stem = stem[: room - len(dot + extension)].rstrip("-_")
        name = f"{stem}{dot}{extension}"
        return f"{folder}/{name}"

    def __eq__(self, other):
        return isinstance(other, DatedUploadTo) and self.deconstruct() == other.deconstruct()


class ProtectedFieldFile(FieldFile):
    @property
    def url(self):
        """The row's download view, which checks permissions: the file itself has no public URL."""
        self._require_file()
        return self.instance.get_download_url()


class ShownFile:
    """A stored file as a form shows it: its own name, not the path it is stored under, linking to its ``url``."""

    def __init__(self, file):
        self.url = file.url
        self.name = PurePosixPath(file.name).name

    def __str__(self):
        return self.name


class ProtectedUploadField(forms.FileField):
    def prepare_value(self, value):
        # The stored file (not a new upload the form is showing again) is shown by its name.
        return ShownFile(value) if isinstance(value, FieldFile) and value else value


class ProtectedFileField(models.FileField):
    """A FileField for files that only permission-checking views hand out.

    Give it ``upload_to=DatedUploadTo(..., protected=True)`` (core.W009 says when it has not) and
    its model a ``get_download_url()``: that is the file's ``url`` wherever one is shown, in the
    form's "Currently" link (which names the file, not its storage path), the admin and templates.
    """

    attr_class = ProtectedFieldFile

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ProtectedUploadField, **kwargs})


def validate_upload_extension(upload):
    """For upload form fields: only the file types in ALLOWED_UPLOAD_EXTENSIONS, read when validating."""
    FileExtensionValidator(allowed_extensions=settings.ALLOWED_UPLOAD_EXTENSIONS)(upload)


def protected_file_response(request, file, filename):
    """The response that has nginx send ``file`` (a FieldFile) as an attachment named ``filename``.

    Call it once the view has checked the permission: the bytes never pass through Django. A file on
    the disk goes through django-sendfile2 (X-Accel-Redirect; its development backend in dev and
    tests); a storage that hands nginx its files itself says how (``download_response``).
    """
    if hasattr(file.storage, "download_response"):
        return file.storage.download_response(file.name, filename)
    return sendfile(request, file.path, attachment=True, attachment_filename=filename)


def hand_public_media_to_nginx(request, path):
    """A public file of a storage that hands nginx its files: as nginx serves them from the disk."""
    name = posixpath.normpath(path)
    protected = protected_folder()
    if name in (".", protected) or name.startswith(("/", "..", f"{protected}/")) or path.endswith("/"):
        raise Http404("Not a public media file.")
    return default_storage.download_response(name, attachment=not SHOWN_INLINE.search(name))


def serve_public_media(request, path):
    """Development only: a file under MEDIA_ROOT, unless it is protected.

    Decided on the file the path resolves to (dot segments, doubled slashes and
    symbolic links followed), never on how the URL spells it.
    """
    media_root = Path(settings.MEDIA_ROOT).resolve()
    target = (media_root / path.lstrip("/")).resolve()
    if not target.is_relative_to(media_root) or target.is_relative_to(Path(settings.SENDFILE_ROOT).resolve()):
        raise Http404("Not a public media file.")
    return serve(request, target.relative_to(media_root).as_posix(), document_root=media_root)


def public_media_urlpatterns():
    """MEDIA_URL in Django's URLs where nginx cannot serve it from the disk alone: MEDIA_ROOT in
    development (DEBUG), a storage that hands nginx its files anywhere. Else nginx serves media."""
    if settings.DEBUG:
        view = serve_public_media
    elif hasattr(default_storage, "download_response"):
        view = hand_public_media_to_nginx
    else:
        return []
    prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    return [re_path(rf"^{prefix}(?P<path>.*)$", view)]
