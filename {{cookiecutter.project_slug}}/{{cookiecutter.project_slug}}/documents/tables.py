import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ..core.tables import Table
from .models import Document


class DocumentTable(Table):
    """The documents list: django-tables2 sorts and pages it from the query string."""

    title = tables.TemplateColumn(template_name="documents/partials/_document_link.html", verbose_name=_("Title"))
    created_by = tables.Column(verbose_name=_("Created by"), default="—")
    modified_on = tables.DateTimeColumn(verbose_name=_("Modified"), format="SHORT_DATETIME_FORMAT")
    download = tables.TemplateColumn(
        template_name="documents/partials/_download_link.html",
        verbose_name="",
        orderable=False,
        attrs={"td": {"class": "text-end"}},
    )

    class Meta:
        model = Document
        fields = ["title", "category", "created_by", "modified_on"]
        sequence = [*fields, "download"]
        order_by = ["-modified_on"]
        attrs = {"class": "table table-hover align-middle"}
        empty_text = _("No documents yet.")
