"""Settings for the test suite (pytest uses these, see pyproject.toml)."""

from . import load_local
from .base import *  # noqa: F403

SECRET_KEY = "insecure-key-for-tests-only"
# The tests assert English text, whatever language the project speaks. The translation tests render pages
# in that language (RowPermissionTests) and in Greek (core/tests/test_translations.py).
PROJECT_LANGUAGE_CODE = LANGUAGE_CODE  # noqa: F405
LANGUAGE_CODE = "en-us"
ALLOWED_HOSTS = ["testserver"]

SENDFILE_BACKEND = "django_sendfile.backends.development"
# Tests sign staff in without a second step; users/tests/test_two_factor.py switches it on.
TWO_FACTOR_REQUIRED_FOR_STAFF = False
# Fast hashing; plain static storage so tests need no collectstatic run.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# No EMAIL_BACKEND: the test runner already collects mail in django.core.mail.outbox, on every Django.
# Error mails at once and each time, so a test reads them as soon as its request ends.
MAIL_ADMINS_AT_ONCE = {**LOGGING["handlers"]["mail_admins"], "interval": 0, "in_background": False}  # noqa: F405
LOGGING = {**LOGGING, "handlers": {**LOGGING["handlers"], "mail_admins": MAIL_ADMINS_AT_ONCE}}  # noqa: F405

load_local(globals())
