from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from .core.views import accessibility_statement, favicon
from .files.media import public_media_urlpatterns
from .identity_provider.views import SignOutView
from .operations.health import HealthView
from .users import two_factor

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("accounts/two-factor/", two_factor.VerifyView.as_view(), name="two_factor_verify"),
    path("accounts/two-factor/setup/", two_factor.SetUpView.as_view(), name="two_factor_setup"),
    path("accounts/logout/", SignOutView.as_view(), name="logout"),  # out at the identity provider too
    path("accounts/identity-provider/", include("{{ cookiecutter.project_slug }}.identity_provider.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("hijack/", include("hijack.urls")),
    path("favicon.ico", favicon),
    path("accessibility/", accessibility_statement, name="accessibility_statement"),
    path("health/", HealthView.as_view(), name="health"),
    *public_media_urlpatterns(),
]

urlpatterns += [
    # The project's apps: python tasks.py startapp adds new ones at the end.
    path("documents/", include("{{ cookiecutter.project_slug }}.documents.urls")),
]
