from django.apps import AppConfig


class UnpolyConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.unpoly"
