"""Class-based views that cooperate with Unpoly through python-unpoly's ``request.up``."""


class UnpolyFormMixin:
    """For CreateView and UpdateView: save only a real submit; an [up-validate] pass re-renders the form.

    Unpoly posts the whole form when the user leaves a field, naming that field in ``request.up.validate``.
    Such a pass must show the errors without saving anything. Plain requests (no Unpoly, or no
    UnpolyMiddleware at all) behave as the view always did.
    """

    def is_validation_pass(self):
        up = getattr(self.request, "up", None)
        return bool(up and up.validate)

    def form_valid(self, form):
        if self.is_validation_pass():
            return self.render_to_response(self.get_context_data(form=form))
        return super().form_valid(form)
