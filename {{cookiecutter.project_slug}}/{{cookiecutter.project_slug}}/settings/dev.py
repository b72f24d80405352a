"""Development: DEBUG on, SQLite, files served by Django, the Werkzeug debugger."""

from .base import *  # noqa: F403

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

# Streams protected files itself: no nginx on a laptop.
SENDFILE_BACKEND = "django_sendfile.backends.development"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

try:
    from .local import *  # noqa: F403
except ModuleNotFoundError as error:
    if error.name != f"{__package__}.local":
        raise
