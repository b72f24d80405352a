from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from hijack.forms import ESM

from .middleware import may_impersonate

User = get_user_model()


class ImpersonationUserAdmin(type(admin.site.get_model_admin(User))):
    """The users' admin (users/admin.py's), with an "Act as" button for each user the superuser may act as."""

    @property
    def media(self):
        return super().media + forms.Media(js=[ESM("hijack/hijack.js")])

    def get_list_display(self, request):
        @admin.display(description=_("Support"))
        def act_as(user):
            if not may_impersonate(hijacker=request.user, hijacked=user):
                return ""
            return render_to_string("impersonation/_act_as.html", {"user": user}, request=request)

        return [*super().get_list_display(request), act_as]


admin.site.unregister(User)
admin.site.register(User, ImpersonationUserAdmin)
