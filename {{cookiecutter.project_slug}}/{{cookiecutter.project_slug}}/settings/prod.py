"""Production: the deployed settings on the production domain, completed by this host's local.py."""

from .deployed import *  # noqa: F403

ALLOWED_HOSTS = ["{{ cookiecutter.domain_name }}"]

try:
    from .local import *  # noqa: F403
except ModuleNotFoundError as error:
    if error.name != f"{__package__}.local":
        raise

require_secret_key(SECRET_KEY)  # noqa: F405
