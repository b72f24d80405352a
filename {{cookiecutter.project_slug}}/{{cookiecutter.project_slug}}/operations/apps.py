from django.apps import AppConfig
from django.core import checks


class OperationsConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.operations"

    def ready(self):
        from . import checks as guideline_checks

        checks.register(guideline_checks.check_static_files_storage, checks.Tags.staticfiles, deploy=True)
        checks.register(guideline_checks.check_accessibility_statement)
        checks.register(guideline_checks.check_accessibility_statement_reviewed, deploy=True)
        checks.register(guideline_checks.check_migrations_keep_the_running_release_working, checks.Tags.database)
