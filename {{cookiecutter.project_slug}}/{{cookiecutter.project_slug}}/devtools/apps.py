from django.apps import AppConfig
from django.core import checks


class DevtoolsConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.devtools"

    def ready(self):
        from . import checks as guideline_checks

        checks.register(guideline_checks.check_debug_toolbar, checks.Tags.security)
