"""UAT: the production settings, so acceptance tests run on what will ship.

Imported after prod (and so after local.py once), overridden here, then
local.py is imported again so it still has the last word.
"""

from .prod import *  # noqa: F403

# A short HSTS time, so a UAT host can drop HTTPS without locking browsers out for a year.
SECURE_HSTS_SECONDS = 60 * 60
EMAIL_SUBJECT_PREFIX = "[UAT] "

try:
    from .local import *  # noqa: F403
except ModuleNotFoundError as error:
    if error.name != f"{__package__}.local":
        raise
