"""The uploads' guidelines (registered in FilesConfig.ready()): dated ASCII paths, and protected files that only
their permission-checked view hands out. Ids keep their "core." prefix (core/checks.py says why)."""

from django.conf import settings
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


def check_signature_settings(app_configs=None, **kwargs):
    """A trust root or a signing key local.py names but the server cannot use stops the start, not the first PDF."""
    if not (settings.SIGNATURE_TRUST_ROOTS or settings.PDF_SIGNING):
        return []
    from . import signatures  # pyHanko: imported only where PDFs are signed or checked

    errors = []
    try:
        signatures.trust_roots()
    except (OSError, ValueError) as error:
        hint = "Name certificate files (PEM or DER) the project's user can read."
        errors.append(checks.Error(f"SIGNATURE_TRUST_ROOTS: {error}", hint=hint, id="files.E001"))
    if settings.PDF_SIGNING and signatures.organisation_signer() is None:
        key_file = settings.PDF_SIGNING.get("PKCS12")
        errors.append(
            checks.Error(
                f"PDF_SIGNING: {key_file!r} is no PKCS#12 file that opens with its PASSWORD.",
                hint="Name the organisation's .p12 (or .pfx) file, readable by the project's user, and its password.",
                id="files.E002",
            )
        )
    return errors
