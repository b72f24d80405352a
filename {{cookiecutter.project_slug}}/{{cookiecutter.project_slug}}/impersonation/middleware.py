"""Acting as another user, for support: a superuser sees what the user sees (django-hijack).

Superusers may act as active users who are neither staff nor superusers: privileged accounts are not
support's to borrow, and keep their own two-step login. A banner says so on every page while it
lasts; each start and end is logged with both users; the audit fields and the change history name
the superuser (request.impersonator, which core.current_user prefers), not the user. The user's
password and authenticator app stay theirs: those pages turn the superuser away.
"""

import logging

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from hijack.signals import hijack_ended, hijack_started

from ..users.two_factor import PENDING

log = logging.getLogger(__name__)
# The pages that change how the user signs in.
CREDENTIAL_PAGES = ["password_change", "password_change_done", "two_factor_setup"]


def may_impersonate(*, hijacker, hijacked):
    """HIJACK_PERMISSION_CHECK: who may act as whom."""
    if hijacked is None or not hijacked.is_active or hijacked.is_staff or hijacked.is_superuser:
        return False
    return hijacker.is_superuser


@receiver(hijack_started)
def started(sender, request, hijacker, hijacked, **kwargs):
    # The superuser gave their own code to get here: the user's app is not theirs to ask for.
    request.session.pop(PENDING, None)
    log.info("%s (id %s) started acting as %s (id %s)", hijacker, hijacker.pk, hijacked, hijacked.pk)


@receiver(hijack_ended)
def ended(sender, request, hijacker, hijacked, **kwargs):
    log.info("%s (id %s) stopped acting as %s (id %s)", hijacker, hijacker.pk, hijacked, hijacked.pk)


class ImpersonationMiddleware:
    """Sets request.impersonator, the superuser behind the user of a request, while they act as the user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if history := request.session.get("hijack_history"):
            request.impersonator = SimpleLazyObject(lambda: get_user_model().objects.get(pk=history[0]))
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        # A view hook: the message middleware, further down, has set the request up by now.
        if hasattr(request, "impersonator") and request.path in {reverse(name) for name in CREDENTIAL_PAGES}:
            message = _("While you act as %(user)s, their password and app stay theirs.") % {"user": request.user}
            messages.error(request, message)
            return redirect("/")
        return None
