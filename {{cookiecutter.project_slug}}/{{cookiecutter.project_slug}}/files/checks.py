"""The uploads' guidelines (registered in FilesConfig.ready()): dated ASCII paths, and protected files that only
their permission-checked view hands out. Ids keep their "core." prefix (core/checks.py says why)."""

from django.core import checks
from django.db import models

from ..core.checks import declared_fields, project_models, see
from .media import DatedUploadTo, ProtectedFileField


def check_file_fields(app_configs=None, **kwargs):
    return [
        warning
        for model in project_models(app_configs)
        for field in declared_fields(model)
        if isinstance(field, models.FileField)
        for warning in [*check_upload_to(field), *check_protected_file(field)]
    ]


def check_upload_to(field):
    if not isinstance(field.upload_to, DatedUploadTo):
        yield checks.Warning(
            "FileField does not use upload_to=DatedUploadTo(...).",
            hint="Files then land in dated folders under safe ASCII names. " + see("Dated, ASCII upload paths"),
            obj=field,
            id="core.W003",
        )


def protected_file_problem(field):
    """What keeps a file field's ``url`` from being its download view, or None."""
    protected = isinstance(field.upload_to, DatedUploadTo) and field.upload_to.protected
    if protected and not isinstance(field, ProtectedFileField):
        return "uploads protected files but is no ProtectedFileField"
    if isinstance(field, ProtectedFileField) and not protected:
        return "is a ProtectedFileField without DatedUploadTo(..., protected=True)"
    if protected and not callable(getattr(field.model, "get_download_url", None)):
        return "is a ProtectedFileField, but its model has no get_download_url()"
    return None


def check_protected_file(field):
    """A protected file's ``url`` must be its download view: nothing serves its media path."""
    problem = protected_file_problem(field)
    if problem:
        yield checks.Warning(
            f"File field {problem}: its url would be a media path, which nothing serves for protected files.",
            hint="Use ProtectedFileField with DatedUploadTo(..., protected=True), and give the model a "
            "get_download_url() returning its permission-checked download view. "
            + see("Protected files: Django checks, nginx sends"),
            obj=field,
            id="core.W009",
        )
