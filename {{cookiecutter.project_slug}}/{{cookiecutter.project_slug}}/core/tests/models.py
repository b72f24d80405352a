"""A model for every app's tests: the project's conftest.py makes its tables and its history's, never migrated."""

from django.db import models

from ...core.models import UserDateAbstractModel


class Note(UserDateAbstractModel):
    title = models.CharField(max_length=100)

    class Meta:
        app_label = "core"
