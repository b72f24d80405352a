from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.documents"
