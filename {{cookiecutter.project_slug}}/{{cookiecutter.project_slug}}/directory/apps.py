from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """Organization login (backends.py): no models, no pages; a deploy check that passwords travel encrypted."""

    name = "{{ cookiecutter.project_slug }}.directory"

    def ready(self):
        from . import checks  # noqa: F401 - registers the check
