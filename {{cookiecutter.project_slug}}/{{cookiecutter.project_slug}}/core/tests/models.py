"""A model used only by these tests: its table and its history's are created by conftest.py, never migrated."""

from django.db import models

from ...core.models import UserDateAbstractModel


class Note(UserDateAbstractModel):
    title = models.CharField(max_length=100)

    class Meta:
        app_label = "core"
