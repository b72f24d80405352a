"""What the project's admin classes share."""

from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpResponseRedirect

from .views import CONFLICT_MESSAGE


class SaveConflictAdminMixin:
    """For a ModelAdmin: a save the database refuses (a unique row that another request saved between
    validation and save) sends the user back to the form with an error message instead of a 500."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            self.message_user(request, CONFLICT_MESSAGE, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
