"""What the project's create, update and delete views share: each says what it did, and plays along with Unpoly."""

from django.contrib.messages.views import SuccessMessageMixin

from .unpoly import UnpolyFormMixin
from .views import SaveConflictMixin


class SaveViewMixin(UnpolyFormMixin, SaveConflictMixin, SuccessMessageMixin):
    """For CreateView and UpdateView: ``success_message`` names the saved fields, e.g. %(title)s.

    A validation pass (up-validate, see core/unpoly.py) re-renders the form and saves nothing; a
    conflicting save by another request meanwhile re-renders it with an error (SaveConflictMixin).
    """


class DeleteViewMixin(SuccessMessageMixin):
    """For DeleteView: ``success_message`` names the deleted object as %(object)s.

    Emits "<model name>:deleted" on the layer, so an overlay showing the object can close itself
    (``up-dismiss-event`` on the link that opened it).
    """

    def get_success_message(self, cleaned_data):
        return self.success_message % {"object": self.object}

    def form_valid(self, form):
        self.request.up.layer.emit(f"{self.object._meta.model_name}:deleted", {"id": self.object.pk})
        return super().form_valid(form)
