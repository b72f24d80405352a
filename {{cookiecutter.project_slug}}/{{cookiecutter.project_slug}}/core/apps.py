from django.apps import AppConfig
from django.conf import settings
from django.contrib import admin
from django.core import checks


class CoreConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.core"

    def ready(self):
        # The admin's header and page titles name this project, not Django.
        admin.site.site_header = admin.site.site_title = settings.PROJECT_NAME
        from . import checks as guideline_checks

        checks.register(guideline_checks.check_models, checks.Tags.models)
        checks.register(guideline_checks.check_audit_fields, checks.Tags.models)
