"""The debug toolbar stays off where it would show a server's insides (registered in DevtoolsConfig.ready()).
The id keeps its "core." prefix (core/checks.py says why)."""

from django.conf import settings
from django.core import checks
from django.http import HttpRequest
from django.utils.module_loading import import_string

from ..core.checks import see

TOOLBAR_MIDDLEWARE = "debug_toolbar.middleware.DebugToolbarMiddleware"
TOOLBAR_DEFAULT_CALLBACK = "debug_toolbar.middleware.show_toolbar"


def check_debug_toolbar(app_configs=None, **kwargs):
    """Asks SHOW_TOOLBAR_CALLBACK about a local request, as the toolbar's middleware would."""
    if settings.DEBUG or TOOLBAR_MIDDLEWARE not in settings.MIDDLEWARE:
        return []
    callback = getattr(settings, "DEBUG_TOOLBAR_CONFIG", {}).get("SHOW_TOOLBAR_CALLBACK", TOOLBAR_DEFAULT_CALLBACK)
    if isinstance(callback, str):
        callback = import_string(callback)
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    if not callback(request):
        return []
    return [
        checks.Warning(
            "The debug toolbar is shown while DEBUG is off: it lays SQL, settings and headers open to visitors.",
            hint="Let SHOW_TOOLBAR_CALLBACK return False without DEBUG, or remove the toolbar from this environment. "
            + see("The debug toolbar", "docs/develop.md"),
            id="core.W006",
        )
    ]
