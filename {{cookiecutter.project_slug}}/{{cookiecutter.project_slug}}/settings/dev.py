"""Development: DEBUG on, SQLite, files served by Django, the Werkzeug debugger, the debug toolbar on demand."""

import os

from . import load_local
from .base import *  # noqa: F403

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

# Streams protected files itself: no nginx on a laptop.
SENDFILE_BACKEND = "django_sendfile.backends.development"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The superuser of dev_setup logs in with a password alone; a laptop is no privileged access.
TWO_FACTOR_REQUIRED_FOR_STAFF = False

# The debug toolbar slows every page down, so it stays hidden until asked for:
# DEBUG_TOOLBAR = True in local.py, or the environment variable DEBUG_TOOLBAR=1.
DEBUG_TOOLBAR = os.environ.get("DEBUG_TOOLBAR") == "1"
DEBUG_TOOLBAR_CONFIG = {
    "SHOW_TOOLBAR_CALLBACK": "{{ cookiecutter.project_slug }}.devtools.toolbar.show_toolbar",
}
# runserver_plus and shell_plus: development only, so the servers do without django-extensions.
INSTALLED_APPS = ["debug_toolbar", "django_extensions", *INSTALLED_APPS]  # noqa: F405
MIDDLEWARE = ["debug_toolbar.middleware.DebugToolbarMiddleware", *MIDDLEWARE]  # noqa: F405
ROOT_URLCONF = "{{ cookiecutter.project_slug }}.dev_urls"

load_local(globals())
