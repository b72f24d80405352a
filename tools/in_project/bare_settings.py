"""Copied into the baked project as settings/bare.py: the dev settings without the debug toolbar."""

from .dev import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "debug_toolbar"]  # noqa: F405
MIDDLEWARE = [name for name in MIDDLEWARE if not name.startswith("debug_toolbar.")]  # noqa: F405
ROOT_URLCONF = "intranet.urls"
