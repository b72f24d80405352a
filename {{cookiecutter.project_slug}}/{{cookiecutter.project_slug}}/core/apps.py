from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.core"

    def ready(self):
        from . import checks as guideline_checks

        checks.register(guideline_checks.check_models, checks.Tags.models)
        checks.register(guideline_checks.check_debug_toolbar, checks.Tags.security)
        checks.register(guideline_checks.check_static_files_storage, checks.Tags.staticfiles, deploy=True)
