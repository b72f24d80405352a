"""A model for every app's tests: the project's conftest.py makes its tables and its history's, never migrated."""

from django.db import models

from ...core.models import UserDateAbstractModel
from ...files.media import DatedUploadTo


class Note(UserDateAbstractModel):
    title = models.CharField(max_length=100)
    attachment = models.FileField(upload_to=DatedUploadTo("notes"), blank=True)

    class Meta:
        app_label = "core"
