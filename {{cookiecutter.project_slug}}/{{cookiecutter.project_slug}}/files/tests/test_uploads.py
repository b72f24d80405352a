"""DatedUploadTo: dated folders, ASCII names, nothing outside the folder, within max_length."""

import re
from pathlib import PurePosixPath

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from ...core.tests.models import Note
from ..media import COLLISION_SUFFIX_LENGTH, DatedUploadTo, ascii_file_name


def month_folder(folder):
    return f"{folder}/{timezone.localdate():%Y/%m}"


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("δοκιμή.pdf", "dokimi.pdf"),
        ("Quarterly Report (final).PDF", "quarterly-report-final.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\evil.exe", "evil.exe"),
        ("", "file"),
        (".", "file"),
        ("..", "file"),
        (".pdf", "file.pdf"),
        ("no-extension", "no-extension"),
        ("archive.tar.gz", "archivetar.gz"),
        ("Ωmega.δοκ", "omega.dok"),
    ],
)
def test_ascii_file_name(filename, expected):
    assert ascii_file_name(filename) == expected


def test_dated_folder_by_month_and_day():
    assert DatedUploadTo("images")(None, "a.png") == f"{month_folder('images')}/a.png"
    assert DatedUploadTo("images", daily=True)(None, "a.png") == f"images/{timezone.localdate():%Y/%m/%d}/a.png"


def test_protected_files_go_under_sendfile_root(settings):
    settings.SENDFILE_ROOT = settings.MEDIA_ROOT / "private"
    assert DatedUploadTo("reports", protected=True)(None, "a.pdf") == f"private/{month_folder('reports')}/a.pdf"


def test_unsaved_object_gets_no_none_in_its_path():
    path = DatedUploadTo("notes")(Note(title="unsaved"), "a.txt")
    assert "None" not in path
    assert path == f"{month_folder('notes')}/a.txt"


def test_long_names_are_cut_to_fit_keeping_the_extension():
    path = DatedUploadTo("notes", max_length=60)(None, "x" * 300 + ".pdf")
    assert len(path) <= 60 - COLLISION_SUFFIX_LENGTH
    assert path.endswith("xx.pdf")


@pytest.mark.parametrize("folder", ["", "/abs", "../up", "a/../b", "Upper", "a//b", "a/"])
def test_unsafe_folders_are_refused(folder):
    with pytest.raises(ValueError, match="upload folder"):
        DatedUploadTo(folder)


def test_max_length_too_small_for_the_folder_is_refused():
    with pytest.raises(ValueError, match="too little room"):
        DatedUploadTo("a-very-long-folder-name", max_length=30)(None, "a.txt")


def test_deconstructs_for_migrations():
    upload_to = DatedUploadTo("reports", protected=True, max_length=255)
    path, args, kwargs = upload_to.deconstruct()
    assert path.endswith("files.media.DatedUploadTo")
    assert DatedUploadTo(*args, **kwargs) == upload_to
    assert DatedUploadTo("reports") != upload_to


@given(filename=st.text(max_size=400), protected=st.booleans(), max_length=st.integers(min_value=60, max_value=400))
def test_every_name_stays_inside_its_folder_is_ascii_and_fits(filename, protected, max_length):
    upload_to = DatedUploadTo("reports", protected=protected, max_length=max_length)
    path = upload_to(None, filename)
    folder = month_folder("reports")
    assert path.startswith(f"protected/{folder}/" if protected else f"{folder}/")
    assert path.isascii()
    assert len(path) <= max_length - COLLISION_SUFFIX_LENGTH
    assert ".." not in PurePosixPath(path).parts
    assert re.fullmatch(r"[a-z0-9_-]+(\.[a-z0-9_]+)?", PurePosixPath(path).name)


@given(filename=st.text(min_size=1, max_size=300))
def test_django_accepts_every_generated_name(filename):
    field = models.FileField(upload_to=DatedUploadTo("reports", max_length=120), max_length=120)
    name = field.generate_filename(None, filename)
    assert name.startswith(month_folder("reports") + "/")


@pytest.mark.django_db
def test_saved_file_lands_in_its_dated_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    field = models.FileField(upload_to=DatedUploadTo("notes"))
    field.set_attributes_from_name("file")
    stored = field.storage.save(field.generate_filename(None, "Τεστ.txt"), SimpleUploadedFile("x", b"hi"))
    assert stored == f"{month_folder('notes')}/test.txt"
    assert (tmp_path / stored).read_bytes() == b"hi"
