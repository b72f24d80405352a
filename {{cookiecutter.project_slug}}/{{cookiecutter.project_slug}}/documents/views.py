from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView, View
from django.views.generic.detail import BaseDetailView, SingleObjectMixin
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from ..core.editing import DeleteViewMixin, SaveViewMixin
from ..core.history import HistoryView
from ..core.views import RowPermissionMixin
from ..files.media import protected_file_response
from ..files.pdf import PdfDetailView
from ..lists.export import ExportMixin
from .filters import DocumentFilter
from .forms import DocumentForm
from .models import Document, Review
from .tables import DocumentTable


class DocumentListView(RowPermissionMixin, ExportMixin, SingleTableMixin, FilterView):
    """The filter narrows the rows the user may see; the table sorts and pages them, or downloads them all."""

    model = Document
    table_class = DocumentTable
    filterset_class = DocumentFilter
    table_pagination = {"per_page": 25}
    template_name = "documents/document_list.html"

    def get_queryset(self):
        # One query for the page, however many rows: the table shows both relations.
        return super().get_queryset().select_related("category", "created_by")


class DocumentDetailView(RowPermissionMixin, DetailView):
    model = Document

    def get_queryset(self):
        reviews = Review.objects.select_related("reviewer", "role")
        return (
            super()
            .get_queryset()
            .select_related("category", "created_by", "modified_by")
            .prefetch_related(Prefetch("reviews", queryset=reviews))
        )


class DocumentCreateView(RowPermissionMixin, SaveViewMixin, CreateView):
    model = Document
    form_class = DocumentForm
    success_message = _("Document “%(title)s” was created.")


class DocumentUpdateView(RowPermissionMixin, SaveViewMixin, UpdateView):
    model = Document
    form_class = DocumentForm
    success_message = _("Document “%(title)s” was updated.")


class DocumentDeleteView(RowPermissionMixin, DeleteViewMixin, DeleteView):
    model = Document
    success_url = reverse_lazy("documents:list")
    success_message = _("Document “%(object)s” was deleted.")


class DocumentDownloadView(RowPermissionMixin, BaseDetailView):
    """Django checks the permission; nginx sends the bytes (X-Accel-Redirect)."""

    model = Document

    def render_to_response(self, context):
        return protected_file_response(self.request, self.object.file, self.object.file_name)


class DocumentSignatureCheckView(RowPermissionMixin, SingleObjectMixin, View):
    """Checks the file's signatures again: after SIGNATURE_TRUST_ROOTS gained the signer's authority, say."""

    model = Document
    permission_action = "change"  # the verdict is saved with the row, in its history
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        document = self.get_object()
        with document.file.open("rb") as file:
            document.check_file_signature(file.read())
        document.save()
        messages.success(request, _("The file's signatures were checked again."))
        return redirect(document)


class DocumentHistoryView(HistoryView):
    model = Document


class DocumentCoverSheetView(PdfDetailView, DocumentDetailView):
    """The document's cover sheet with its reviewers, as a PDF."""

    template_name = "documents/document_cover_sheet.html"
