from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.background"
