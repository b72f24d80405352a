"""Copied into the baked project as settings/stream.py: prod, but Django streams protected files itself."""

from .prod import *  # noqa: F403

SENDFILE_BACKEND = "django_sendfile.backends.development"
