"""Two-factor login: a code from an authenticator app (TOTP) after the password, or a recovery code.

django-otp keeps the devices and checks the codes: a code works once (a replayed one is refused) and
failures slow further tries down. Users who set up an authenticator app give a code at every login;
staff and superusers must set one up first where TWO_FACTOR_REQUIRED_FOR_STAFF is on (uat, prod),
before any page, the admin included. The login view stays Django's: TwoFactorMiddleware sends a
signed-in user who still owes a code to the page that asks for it.
"""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp import user_has_device, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

PENDING = "two_factor_pending"
# The service the user signed in through asked for a second step itself (an identity provider's amr claim).
DONE_ELSEWHERE = "two_factor_done_elsewhere"
RECOVERY_CODES = 10


def must_set_up(user):
    return settings.TWO_FACTOR_REQUIRED_FOR_STAFF and (user.is_staff or user.is_superuser)


@receiver(user_logged_in)
def ask_for_a_code(sender, request, user, **kwargs):
    """Whether a user with an app gives a code is decided once per login: other requests cost no query."""
    request.session.pop(DONE_ELSEWHERE, None)
    if user_has_device(user):
        request.session[PENDING] = True


def second_step_done_elsewhere(request):
    """Called right after login(): this login owes no code here, staff's included."""
    request.session[DONE_ELSEWHERE] = True
    request.session.pop(PENDING, None)


class TwoFactorMiddleware:
    """Until a signed-in user who owes a code gives it, every page but these sends them to give it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        verified = user.is_verified() or request.session.get(DONE_ELSEWHERE)
        if not verified and (request.session.get(PENDING) or must_set_up(user)):
            allowed = {reverse(name) for name in ("two_factor_verify", "two_factor_setup", "logout")}
            if request.path not in allowed:
                step = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
                return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).lower()
        self.device = self.verify(code)
        if self.device is None:
            raise forms.ValidationError(_("This code is not valid, or was used already. Wait a moment and try again."))
        return code

    def verify(self, code):
        """The device that accepts ``code``: an app's six digits, or else one of the recovery codes."""
        kind = TOTPDevice if code.isdigit() else StaticDevice
        for device in kind.objects.devices_for_user(self.user, confirmed=True):
            if verify_token(self.user, device.persistent_id, code):
                return device
        return None


# The setup page shows the app's secret, and its answer the recovery codes: no cache may keep them.
@method_decorator(never_cache, name="dispatch")
class TwoFactorStepView(FormView):
    form_class = CodeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        return super().dispatch(request, *args, **kwargs)

    def signed_in_with(self, device):
        otp_login(self.request, device)
        self.request.session.pop(PENDING, None)

    def next_url(self):
        url = self.request.POST.get("next") or self.request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(url, {self.request.get_host()}, self.request.is_secure())
        return url if safe else resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.next_url(), **kwargs)


class VerifyView(TwoFactorStepView):
    """The second step of a login: a code from the app, or a recovery code."""

    template_name = "registration/two_factor_verify.html"

    def form_valid(self, form):
        self.signed_in_with(form.device)
        return redirect(self.next_url())


def unconfirmed_app(user):
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "app"})
    return device


class SetUpForm(CodeForm):
    def verify(self, code):
        device = unconfirmed_app(self.user)
        return device if device.verify_token(code) else None


class SetUpView(TwoFactorStepView):
    """Pairs an authenticator app: its QR code, then a code from it; then the recovery codes, shown once."""

    form_class = SetUpForm
    template_name = "registration/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        # A new app replaces the old one: only with a code from the old one (or a recovery code).
        if request.user.is_authenticated and not request.user.is_verified() and user_has_device(request.user):
            return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.get_full_path()})}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        device = unconfirmed_app(self.request.user)
        qr_code = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code for the app"))
        secret = b32encode(device.bin_key).decode()
        # In groups of four, for typing it into an app that cannot scan.
        kwargs.update(qr_code=qr_code, secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)))
        return super().get_context_data(**kwargs)

    @transaction.atomic
    def form_valid(self, form):
        user = self.request.user
        TOTPDevice.objects.filter(user=user).exclude(pk=form.device.pk).delete()
        form.device.confirmed = True
        form.device.save()
        StaticDevice.objects.filter(user=user).delete()
        recovery = StaticDevice.objects.create(user=user, name="recovery codes")
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
        self.signed_in_with(form.device)
        context = {"codes": codes, "next": self.next_url()}
        return render(self.request, "registration/two_factor_recovery_codes.html", context)
