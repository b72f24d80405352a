"""Development URLs (ROOT_URLCONF in settings/dev.py): the project's, plus the debug toolbar's.

The toolbar is installed in development only, so urls.py must not import it.
"""

from debug_toolbar.toolbar import debug_toolbar_urls

from .urls import urlpatterns

urlpatterns = [*urlpatterns, *debug_toolbar_urls()]
