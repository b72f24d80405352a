"""What the project's create, update and delete views share: each says what it did."""

from django.contrib.messages.views import SuccessMessageMixin

from .views import SaveConflictMixin


class SaveViewMixin(SaveConflictMixin, SuccessMessageMixin):
    """For CreateView and UpdateView: ``success_message`` names the saved fields, e.g. %(title)s.

    A conflicting save by another request meanwhile re-renders the form with an error (SaveConflictMixin).
    """


class DeleteViewMixin(SuccessMessageMixin):
    """For DeleteView: ``success_message`` names the deleted object as %(object)s."""

    def get_success_message(self, cleaned_data):
        return self.success_message % {"object": self.object}
