from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.generic.edit import DeletionMixin, ModelFormMixin

# A save the database refused after the form validated: another request saved a conflicting row in between.
CONFLICT_MESSAGE = _("Someone saved a conflicting change meanwhile, so nothing was saved. Check and save again.")


class RowPermissionMixin(LoginRequiredMixin):
    """Limits a class-based view to the rows the user may act on; other rows answer 404, not 403.

    The action follows the view: a DeleteView deletes, an UpdateView changes, anything
    else (list, detail, download) views. Set ``permission_action`` where that guess is
    wrong. The model's manager must offer ``for_user(user, action)``, as
    UserDateAbstractModel's does.
    """

    permission_action = None

    def get_permission_action(self):
        if self.permission_action:
            return self.permission_action
        if isinstance(self, DeletionMixin):
            return "delete"
        if isinstance(self, ModelFormMixin):
            return "change"
        return "view"

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user, self.get_permission_action())


def favicon(request):
    """/favicon.ico, which browsers ask for on every site: the project's icon, instead of a 404 a page."""
    return redirect(static("favicon.svg"), permanent=True)


@require_safe
def accessibility_statement(request):
    """The accessibility statement the EU asks of public bodies' sites, from ACCESSIBILITY_STATEMENT."""
    return render(request, "accessibility_statement.html", {"statement": settings.ACCESSIBILITY_STATEMENT})
