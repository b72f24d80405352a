from django.contrib.auth.mixins import LoginRequiredMixin


class VisibleToUserMixin(LoginRequiredMixin):
    """Limits a class-based view to rows the user may see: others answer 404, not 403.

    Filtering in get_queryset() covers list, detail, update, delete and
    download views alike. The model's manager must offer ``visible_to(user)``,
    as UserDateAbstractModel's does.
    """

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)
