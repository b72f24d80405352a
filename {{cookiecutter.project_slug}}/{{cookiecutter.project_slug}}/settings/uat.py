"""UAT: the deployed settings, so acceptance tests run on what will ship, with a few safety margins."""

from . import load_local
from .deployed import *  # noqa: F403
from .deployed import start_deployed

# ALLOWED_HOSTS: the UAT host's name, in its local.py.
# A short HSTS time, so a UAT host can drop HTTPS without locking browsers out for a year.
SECURE_HSTS_SECONDS = 60 * 60
EMAIL_SUBJECT_PREFIX = "[UAT] "

load_local(globals())

start_deployed(globals(), "uat")
