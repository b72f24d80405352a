"""What a deployed server needs that development does not (registered in OperationsConfig.ready()). The id keeps
its "core." prefix (core/checks.py says why)."""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core import checks
from django.utils.module_loading import import_string

from ..core.checks import see


def check_static_files_storage(app_configs=None, **kwargs):
    """A deploy check (``check --deploy``): test settings use plain storage on purpose."""
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    if issubclass(import_string(backend), ManifestFilesMixin):
        return []
    return [
        checks.Warning(
            f"STORAGES['staticfiles'] is {backend}: deploy with ManifestStaticFilesStorage.",
            hint="Content-hashed names let browsers cache static files forever and still get every change. "
            + see("Static files with content hashes"),
            id="core.W007",
        )
    ]
