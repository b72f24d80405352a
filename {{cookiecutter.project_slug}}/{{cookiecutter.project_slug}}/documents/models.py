from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..core.media import DatedUploadTo
from ..core.models import UserDateAbstractModel


class Category(models.Model):
    """A lookup table rather than ``choices``: new categories need no deploy."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class Document(UserDateAbstractModel):
    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="documents", verbose_name=_("category")
    )
    file = models.FileField(
        _("file"),
        upload_to=DatedUploadTo("documents", protected=True, max_length=255),
        max_length=255,
    )

    class Meta:
        ordering = ["-created_on"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("documents:detail", args=[self.pk])

    def get_download_url(self):
        return reverse("documents:download", args=[self.pk])

    @property
    def file_name(self):
        return self.file.name.rsplit("/", 1)[-1]
