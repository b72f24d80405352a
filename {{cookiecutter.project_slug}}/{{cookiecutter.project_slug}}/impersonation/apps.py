from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpersonationConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.impersonation"
    verbose_name = _("Impersonation")

    def ready(self):
        from . import middleware  # noqa: F401 (connects its receivers of django-hijack's signals)
