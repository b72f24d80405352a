from django.apps import AppConfig


class IdentityProviderConfig(AppConfig):
    """Sign-in through the organisation's identity provider (OpenID Connect): provider.py says how."""

    name = "{{ cookiecutter.project_slug }}.identity_provider"

    def ready(self):
        from . import checks  # noqa: F401 - registers the check
