from django.contrib import messages
from django.contrib.messages.views import SuccessMessageMixin
from django.urls import reverse_lazy
from django.views.generic import CreateView, DeleteView, DetailView, ListView, UpdateView
from django.views.generic.detail import BaseDetailView
from django_sendfile import sendfile

{% if cookiecutter.use_unpoly %}from {{ cookiecutter.project_slug }}.core.unpoly import UnpolyFormMixin
{% endif %}from {{ cookiecutter.project_slug }}.core.views import VisibleToUserMixin

from .forms import DocumentForm
from .models import Document


class DocumentListView(VisibleToUserMixin, ListView):
    model = Document
    paginate_by = 25

    def get_queryset(self):
        # One query for the page, however many rows: the template shows both relations.
        return super().get_queryset().select_related("category", "created_by")


class DocumentDetailView(VisibleToUserMixin, DetailView):
    model = Document

    def get_queryset(self):
        return super().get_queryset().select_related("category", "created_by", "modified_by")


class DocumentCreateView(VisibleToUserMixin, {% if cookiecutter.use_unpoly %}UnpolyFormMixin, {% endif %}SuccessMessageMixin, CreateView):
    model = Document
    form_class = DocumentForm
    success_message = "Document “%(title)s” was created."


class DocumentUpdateView(VisibleToUserMixin, {% if cookiecutter.use_unpoly %}UnpolyFormMixin, {% endif %}SuccessMessageMixin, UpdateView):
    model = Document
    form_class = DocumentForm
    success_message = "Document “%(title)s” was updated."


class DocumentDeleteView(VisibleToUserMixin, DeleteView):
    model = Document
    success_url = reverse_lazy("documents:list")

    def form_valid(self, form):
        messages.success(self.request, f"Document “{self.object}” was deleted.")
{%- if cookiecutter.use_unpoly %}
        # Closes the overlay the document was open in (see up-dismiss-event in _document_row.html).
        self.request.up.layer.emit("document:deleted", {"id": self.object.pk})
{%- endif %}
        return super().form_valid(form)


class DocumentDownloadView(VisibleToUserMixin, BaseDetailView):
    """Django checks the permission; nginx sends the bytes (X-Accel-Redirect)."""

    model = Document

    def render_to_response(self, context):
        document = self.object
        return sendfile(
            self.request,
            document.file.path,
            attachment=True,
            attachment_filename=document.file_name,
        )
