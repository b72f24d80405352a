from django.apps import AppConfig
from django.core import checks


class FilesConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.files"

    def ready(self):
        from . import checks as guideline_checks

        checks.register(guideline_checks.check_file_fields, checks.Tags.models)
        checks.register(guideline_checks.check_signature_settings)
