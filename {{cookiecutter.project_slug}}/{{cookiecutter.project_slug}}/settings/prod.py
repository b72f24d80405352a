"""Production: the deployed settings on the production domain, completed by this host's local.py."""

from . import load_local
from .deployed import *  # noqa: F403

ALLOWED_HOSTS = ["{{ cookiecutter.domain_name }}"]

load_local(globals())

start(globals(), "prod")  # noqa: F405
