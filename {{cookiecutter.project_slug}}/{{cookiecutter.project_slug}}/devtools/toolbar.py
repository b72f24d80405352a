"""When django-debug-toolbar shows itself (it is installed in development only, see settings/dev.py)."""

from django.conf import settings


def show_toolbar(request):
    """SHOW_TOOLBAR_CALLBACK: hidden unless both DEBUG and the DEBUG_TOOLBAR switch are on."""
    return settings.DEBUG and getattr(settings, "DEBUG_TOOLBAR", False)
