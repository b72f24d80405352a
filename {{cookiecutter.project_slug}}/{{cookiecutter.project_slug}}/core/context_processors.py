from django.apps import apps
from django.conf import settings
from django.urls import reverse


def project(request):
    # "debug" lets templates switch on development-only helpers; unlike Django's own debug
    # context processor it needs no INTERNAL_IPS.
    return {"project_name": settings.PROJECT_NAME, "debug": settings.DEBUG, "navigation": navigation}


def navigation():
    """The main menu: (url, label) of each list view that an installed app's AppConfig names in ``menu``,
    a list of (URL name, label) pairs.

    Templates call it only where they show it, so other pages reverse nothing.
    """
    configs = apps.get_app_configs()
    return [(reverse(url_name), label) for config in configs for url_name, label in getattr(config, "menu", [])]
