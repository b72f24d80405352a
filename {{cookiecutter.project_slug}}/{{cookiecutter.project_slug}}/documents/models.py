from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..core.models import LookupModel, UserDateAbstractModel
from ..core.personal_data import PersonalData
from ..files.media import DatedUploadTo, ProtectedFileField
from ..lists.indexes import TextFilterIndex


class Category(LookupModel):
    """A lookup table rather than ``choices``: new categories need no deploy."""

    class Meta(LookupModel.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class ReviewRole(LookupModel):
    """What a reviewer does with a document (reads, approves...)."""

    class Meta(LookupModel.Meta):
        verbose_name = _("review role")
        verbose_name_plural = _("review roles")


class Document(UserDateAbstractModel):
    title = models.CharField(_("title"), max_length=200, db_index=True)  # the list sorts by it
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="documents", verbose_name=_("category")
    )
    file = ProtectedFileField(
        _("file"),
        upload_to=DatedUploadTo("documents", protected=True, max_length=255),
        max_length=255,
    )
    # What files/signatures.py found of a PDF's signatures when it was uploaded, or checked again; None otherwise.
    file_signature = models.JSONField(_("signature check"), null=True, blank=True, editable=False)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Review",
        # Review's audit fields point at users too: name the two that make the relation.
        through_fields=("document", "reviewer"),
        related_name="documents_to_review",
        blank=True,
        verbose_name=_("reviewers"),
    )
    # Who wrote and changed it is personal data too; the change history keeps it ten years (privacy/).
    personal_data = PersonalData(identify=["created_by", "modified_by"], history_years=10)

    class Meta:
        ordering = ["-created_on"]
        indexes = [
            TextFilterIndex("title", name="documents_title_contains"),
            # The list's deep pages skip rows by id alone, in this index (lists.tables.LazyPaginator).
            models.Index(fields=["modified_on", "id"], name="documents_modified_id"),
        ]
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

    def check_file_signature(self, data):
        """Keeps the verdict on the signatures of ``data``, the file's bytes, if it is a PDF (saved with the row)."""
        if not self.file_name.lower().endswith(".pdf"):
            self.file_signature = None
            return
        from ..files.signatures import check_signatures  # pyHanko: imported only where PDFs are checked

        self.file_signature = check_signatures(data)

    @property
    def file_signature_shown(self):
        from ..files.signatures import described

        return described(self.file_signature)


class Review(UserDateAbstractModel):
    """Who reviews a document, in which role, by when: the explicit through model of Document.reviewers."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("document")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        verbose_name=_("reviewer"),
    )
    role = models.ForeignKey(ReviewRole, on_delete=models.PROTECT, verbose_name=_("role"))
    due_on = models.DateField(_("due on"))
    personal_data = PersonalData(
        identify=["reviewer", "created_by", "modified_by"], describe=["document", "role", "due_on"], history_years=10
    )

    class Meta:
        ordering = ["due_on", "pk"]
        # A document's reviews, in due order.
        indexes = [models.Index(fields=["document", "due_on"], name="documents_review_due")]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["document", "reviewer"], name="documents_one_review_per_reviewer"),
        ]

    def __str__(self):
        return f"{self.reviewer} ({self.role})"
