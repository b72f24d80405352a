from django.db import models
from django.urls import reverse

from ..core.media import DatedUploadTo
from ..core.models import UserDateAbstractModel


class Category(models.Model):
    """A lookup table rather than ``choices``: new categories need no deploy."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class Document(UserDateAbstractModel):
    title = models.CharField(max_length=200)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(
        upload_to=DatedUploadTo("documents", protected=True, max_length=255),
        max_length=255,
    )

    class Meta:
        ordering = ["-created_on"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("documents:detail", args=[self.pk])

    def get_download_url(self):
        return reverse("documents:download", args=[self.pk])

    @property
    def file_name(self):
        return self.file.name.rsplit("/", 1)[-1]
