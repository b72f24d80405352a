from django.contrib.messages.views import SuccessMessageMixin
from django.db import IntegrityError, transaction

from .views import CONFLICT_MESSAGE


class SaveViewMixin(SuccessMessageMixin):
    """For Create/UpdateView: saves, says so; an Unpoly validation pass or a refused save shows the form again."""

    def form_valid(self, form):
        if getattr(self.request, "up", None) and self.request.up.validate:
            return self.render_to_response(self.get_context_data(form=form))
        try:
            with transaction.atomic():
                return super().form_valid(form)  # the view's save, then SuccessMessageMixin's message
        except IntegrityError:
            form.add_error(None, CONFLICT_MESSAGE)
            return self.form_invalid(form)


class DeleteViewMixin(SuccessMessageMixin):
    """For DeleteView: ``success_message`` names %(object)s; "<model>:deleted" lets an overlay of it close."""

    def get_success_message(self, cleaned_data):
        return self.success_message % {"object": self.object}

    def form_valid(self, form):
        self.request.up.layer.emit(f"{self.object._meta.model_name}:deleted", {"id": self.object.pk})
        return super().form_valid(form)
