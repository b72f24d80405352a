from django.apps import AppConfig


class AccessImportConfig(AppConfig):
    """Bringing an MS Access database into a new app (management commands): no models, no pages."""

    name = "{{ cookiecutter.project_slug }}.access_import"
