"""What the project's create, update and delete views share: each says what it did."""

from django.contrib.messages.views import SuccessMessageMixin
from django.db import IntegrityError, transaction

from .views import CONFLICT_MESSAGE


class SaveViewMixin(SuccessMessageMixin):
    """For CreateView and UpdateView: saves, then says so (``success_message`` names fields, e.g. %(title)s).

    A save the database refuses shows the form again, with an error: the form validated, so the conflict is
    another request's save in between (the same reviewer added in two tabs). Nothing is saved, and the user
    sees what they entered instead of a server error.
    """

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)  # the view's save, then SuccessMessageMixin's message
        except IntegrityError:
            form.add_error(None, CONFLICT_MESSAGE)
            return self.form_invalid(form)


class DeleteViewMixin(SuccessMessageMixin):
    """For DeleteView: ``success_message`` names the deleted object as %(object)s."""

    def get_success_message(self, cleaned_data):
        return self.success_message % {"object": self.object}
