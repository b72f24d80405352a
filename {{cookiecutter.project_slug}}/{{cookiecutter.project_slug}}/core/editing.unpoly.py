"""What the project's create, update and delete views share: each says what it did, and plays along with Unpoly."""

from django.contrib.messages.views import SuccessMessageMixin
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

CONFLICT_MESSAGE = _("Someone saved a conflicting change meanwhile, so nothing was saved. Check and save again.")


class SaveViewMixin(SuccessMessageMixin):
    """For CreateView and UpdateView: saves, then says so (``success_message`` names fields, e.g. %(title)s).

    Unpoly posts the whole form when the user leaves a field, naming that field in ``request.up.validate``
    (UnpolyMiddleware, unpoly/middleware.py): such a validation pass shows the errors and saves nothing.
    A save the database refuses shows the form again, with an error: the form validated, so the conflict is
    another request's save in between (the same reviewer added in two tabs). Nothing is saved, and the user
    sees what they entered instead of a server error.
    """

    conflict_message = CONFLICT_MESSAGE

    def is_validation_pass(self):
        up = getattr(self.request, "up", None)
        return bool(up and up.validate)

    def form_valid(self, form):
        if self.is_validation_pass():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            with transaction.atomic():
                # The view's own form_valid saves; SuccessMessageMixin's then adds the message.
                return super().form_valid(form)
        except IntegrityError:
            form.add_error(None, self.conflict_message)
            return self.form_invalid(form)


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
