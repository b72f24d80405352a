from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.documents"
    verbose_name = _("Documents")
    # In the main menu (core.context_processors.navigation).
    menu = [("documents:list", _("Documents"))]

    def ready(self):
        from . import tasks  # noqa: F401 (connects the receiver that mails the reviewers)
