from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.privacy"
    verbose_name = _("Personal data")

    def ready(self):
        from .checks import check_declarations

        checks.register(check_declarations, checks.Tags.models)
