import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..lists.tables import DateTimeColumn, Table, TemplateColumn
from .models import Document


class DocumentTable(Table):
    """The documents list: django-tables2 sorts and pages it from the query string.

    Sortable columns are the ones an index serves (core.W008); a category or a person is a filter.
    """

    title = TemplateColumn(template_name="documents/partials/_document_link.html", verbose_name=_("Title"))
    category = tables.Column(verbose_name=_("Category"), orderable=False)
    created_by = tables.Column(verbose_name=_("Created by"), default="—", orderable=False)
    modified_on = DateTimeColumn(verbose_name=_("Modified"))
    download = tables.Column(
        verbose_name=_("File"),
        empty_values=(),
        orderable=False,
        exclude_from_export=True,
        attrs={"td": {"class": "text-end"}},
    )

    class Meta:
        model = Document
        fields = ["title", "category", "created_by", "modified_on"]
        sequence = [*fields, "download"]
        order_by = ["-modified_on"]
        attrs = {"class": "table table-hover align-middle"}
        empty_text = _("No documents yet.")

    def render_download(self, record):
        # Every row's link reads "Download": to screen readers it says whose file too (2.4.4).
        return format_html(
            '<a class="btn btn-sm btn-outline-secondary" href="{}" download>'
            '{}<span class="visually-hidden">: {}</span></a>',
            record.get_download_url(),
            _("Download"),
            record.title,
        )
