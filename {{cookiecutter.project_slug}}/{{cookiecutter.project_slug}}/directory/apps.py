from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """Organization login (backends.py): no models, no pages."""

    name = "{{ cookiecutter.project_slug }}.directory"
