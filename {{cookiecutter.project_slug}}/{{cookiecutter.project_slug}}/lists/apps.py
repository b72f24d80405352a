from django.apps import AppConfig
from django.core import checks


class ListsConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.lists"

    def ready(self):
        from . import checks as guideline_checks

        checks.register(guideline_checks.check_orderings, checks.Tags.models)
