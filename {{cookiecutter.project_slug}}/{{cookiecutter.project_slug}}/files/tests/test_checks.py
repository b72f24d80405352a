"""The uploads' checks (files/checks.py): dated upload paths, protected files behind their view."""

from django.db import models

from ...core.testing import found_by_checks as found
from ..checks import check_file_fields
from ..media import DatedUploadTo, ProtectedFileField


def test_files_need_dated_upload_to(project_app):
    class Attachment(models.Model):
        bare = models.FileField()
        plain_folder = models.FileField(upload_to="files/")
        picture = models.ImageField(upload_to="pictures/")
        dated = models.FileField(upload_to=DatedUploadTo("files"))
        dated_picture = models.ImageField(upload_to=DatedUploadTo("pictures", daily=True))

    assert found(check_file_fields(project_app.get_app_configs())) == [
        ("core.W003", "bare"),
        ("core.W003", "picture"),
        ("core.W003", "plain_folder"),
    ]


def test_protected_files_link_their_download_view(project_app):
    protected = DatedUploadTo("contracts", protected=True)

    class Contract(models.Model):
        plain = models.FileField(upload_to=protected)
        public = ProtectedFileField(upload_to=DatedUploadTo("contracts"))
        right = ProtectedFileField(upload_to=protected)

        def get_download_url(self):
            return f"/contracts/{self.pk}/download/"

    class Letter(models.Model):
        scan = ProtectedFileField(upload_to=protected)

    assert found(check_file_fields(project_app.get_app_configs())) == [
        ("core.W009", "plain"),
        ("core.W009", "public"),
        ("core.W009", "scan"),
    ]
