from django.apps import apps
from django.conf import settings
from django.urls import reverse


def project(request):
    # "debug" lets templates switch on development-only helpers; unlike Django's own debug
    # context processor it needs no INTERNAL_IPS.
    return {"project_name": settings.PROJECT_NAME, "debug": settings.DEBUG, "navigation": navigation}


def navigation():
    """The main menu: (url, label) of each installed app whose AppConfig names its list view in ``list_url_name``.

    Templates call it only where they show it, so other pages reverse nothing.
    """
    configs = (config for config in apps.get_app_configs() if getattr(config, "list_url_name", None))
    return [(reverse(config.list_url_name), config.verbose_name) for config in configs]
