"""Production: the deployed settings on the production domain, completed by this host's local.py."""

from . import load_local
from .deployed import *  # noqa: F403
from .deployed import start_deployed

ALLOWED_HOSTS = ["{{ cookiecutter.domain_name }}"]

load_local(globals())

start_deployed(globals(), "prod")
