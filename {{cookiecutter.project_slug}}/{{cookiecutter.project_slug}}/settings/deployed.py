"""What uat and prod share: served by gunicorn behind nginx over HTTPS, secrets and database in local.py."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False

# nginx terminates TLS and says so in X-Forwarded-Proto (see deploy/nginx), and names the client in
# X-Forwarded-For, which it sets itself: gunicorn listens on a Unix socket, so REMOTE_ADDR names nobody.
AXES_CLIENT_IP_CALLABLE = "{{ cookiecutter.project_slug }}.core.views.client_address"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
# HSTS for every subdomain and the browsers' preload list bind the whole domain,
# not just this project: opt in from local.py when that decision is yours.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W005", "security.W021"]  # noqa: F405


def require_secret_key(secret_key):
    """Called by each deployed environment after its local.py: refuse to start without a real key."""
    if not secret_key:
        raise ImproperlyConfigured(
            f"SECRET_KEY is empty: copy {Path(__file__).with_name('local.py.template')} to local.py and fill it in."
        )
