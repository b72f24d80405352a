"""What uat and prod share: served by gunicorn behind nginx over HTTPS, secrets and database in local.py."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from {{ cookiecutter.project_slug }}.operations.error_reporting import start_error_reporting

from .base import *  # noqa: F403

DEBUG = False

# nginx terminates TLS and says so in X-Forwarded-Proto (see deploy/nginx), and names the client in
# X-Forwarded-For, which it sets itself: gunicorn listens on a Unix socket, so REMOTE_ADDR names nobody.
AXES_CLIENT_IP_CALLABLE = "{{ cookiecutter.project_slug }}.core.current_user.client_address"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
# HSTS for every subdomain and the browsers' preload list bind the whole domain,
# not just this project: opt in from local.py when that decision is yours.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W005", "security.W021"]  # noqa: F405

# One cache for every gunicorn worker and every app server: the database they share already, so no other
# server to run, secure and back up (docs/operate.md, "Growing past one server"). The deploy creates its table.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}}

# A mail server that hangs must not hold a request that sends mail (a password reset) until gunicorn's 30 s
# timeout kills the worker: Django's SMTP connection waits 10 s at most. Error mails are sent off the request.
EMAIL_TIMEOUT = 10

# Media in the object store that local.py names, so every app server has them (files/object_storage.py).
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {"BACKEND": "{{ cookiecutter.project_slug }}.files.object_storage.ObjectStorage"},
}

# gunicorn's stderr goes to the journal, which adds the time: one line per event, naming the request's
# client and nginx's request id, as gunicorn's access log does (operations/log.py).
LOGGING = {
    **LOGGING,  # noqa: F405
    "filters": {
        **LOGGING["filters"],  # noqa: F405
        "request": {"()": "{{ cookiecutter.project_slug }}.operations.log.RequestContext"},
    },
    "formatters": {
        "journal": {
            "()": "{{ cookiecutter.project_slug }}.operations.log.OneLineFormatter",
            "format": "%(levelname)s %(name)s client=%(client)s request=%(request_id)s %(message)s",
        }
    },
    "handlers": {
        **LOGGING["handlers"],  # noqa: F405
        "console": {**LOGGING["handlers"]["console"], "formatter": "journal", "filters": ["request"]},  # noqa: F405
    },
}

# Set in local.py to send error reports to Sentry or GlitchTip (operations/error_reporting.py); empty: mail to
# ADMINS only.
ERROR_REPORTING_DSN = ""


def start_deployed(settings, environment):
    """Called by each deployed environment after its local.py: refuse to start without a real key,
    then report errors if local.py names where to."""
    if not settings["SECRET_KEY"]:
        raise ImproperlyConfigured(
            f"SECRET_KEY is empty: copy {Path(__file__).with_name('local.py.template')} to local.py and fill it in."
        )
    # The release folder's name (deploy/release.py): reports say which deploy an error first came with.
    start_error_reporting(settings["ERROR_REPORTING_DSN"], environment=environment, release=BASE_DIR.name)  # noqa: F405
