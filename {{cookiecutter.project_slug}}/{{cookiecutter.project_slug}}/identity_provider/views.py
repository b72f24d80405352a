"""The provider's side of a sign-in: off to the provider, back with a code, and out at both ends.

Whatever goes wrong between here and the provider (down, slow, a bad signature, another audience, an expired
token, a replayed code, a state that is not this session's) is a failed login: counted by django-axes,
logged, and the login page again with a message, never an error page. Local accounts (the superusers) still
log in with their password and their second step when the provider is down.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.views import LogoutView
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..users import two_factor
from .provider import asserted_second_step, client, end_session_url, gsis_claims, is_gsis, provider_settings

NEXT = "identity_provider_next"
ID_TOKEN = "identity_provider_id_token"
log = logging.getLogger(__name__)


@require_GET
@never_cache
def sign_in(request):
    """Off to the provider; the page asked for (next) waits in the session."""
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        request.session[NEXT] = next_url
    try:
        return client().authorize_redirect(request, request.build_absolute_uri(reverse("identity_provider:callback")))
    except Exception as error:  # noqa: BLE001 - a provider that is down or no provider fails in any way
        log.warning("Identity provider unreachable (%s: %s).", type(error).__name__, error)
        messages.error(request, _("The sign-in service does not answer. Try again later."))
        return redirect("login")


@require_GET
@never_cache
def callback(request):
    """Back from the provider with a code: the token it is exchanged for is checked, then the person signs in."""
    config = provider_settings()
    try:
        provider = client()
        token = provider.authorize_access_token(request)
        if is_gsis(config):
            claims = gsis_claims(provider, token)
        elif (claims := token.get("userinfo")) is None:
            raise ValueError("the token response holds no ID token")
    except Exception as error:  # noqa: BLE001 - Authlib, joserfc, requests and the XML fail in their own ways
        log.warning("Identity provider sign-in failed (%s: %s).", type(error).__name__, error)
        claims = None
    username = claims.get(config["USERNAME_CLAIM"]) if claims else None
    # Through authenticate(): django-axes counts a refusal and stops a client that was locked out.
    user = authenticate(request, username=username, identity_claims=claims)
    if user is None:
        messages.error(request, _("The sign-in did not succeed. Try again, or ask the administrators."))
        return redirect("login")
    login(request, user)
    request.session[ID_TOKEN] = token.get("id_token", "")  # none from GSIS: still signed in there
    if asserted_second_step(claims, config):
        two_factor.second_step_done_elsewhere(request)
    return redirect(request.session.pop(NEXT, "") or resolve_url(settings.LOGIN_REDIRECT_URL))


class SignOutView(LogoutView):
    """Out here, then at the provider too, which comes back to the home page; out here only when it is down."""

    def post(self, request, *args, **kwargs):
        signed_in_there = ID_TOKEN in request.session
        id_token = request.session.get(ID_TOKEN)
        response = super().post(request, *args, **kwargs)
        if not signed_in_there:
            return response
        home = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
        try:
            url = end_session_url(client(), provider_settings(), id_token, home)
        except Exception as error:  # noqa: BLE001 - as sign_in
            log.warning("Identity provider sign-out failed (%s: %s); signed out here.", type(error).__name__, error)
            return response
        return render(request, "identity_provider/signing_out.html", {"end_session_url": url})
