"""System checks that keep the project's guidelines holding, and what a project app is to all of them.

Each app checks its own guideline (registered in its AppConfig.ready()): core the models' shape and audit
fields here, files the uploads, lists the orderings, operations the static files, devtools the toolbar.
They run on every ``manage.py check``, ``runserver`` and ``migrate``. Model
checks look only at the project's own apps and at the fields the project
declared: what Django and third-party apps decided is not ours to judge.
Silence an id in SILENCED_SYSTEM_CHECKS when breaking a guideline is a
deliberate choice, and say why next to it. The ids keep the "core." prefix wherever
the check lives: projects silence them by that name (docs/architecture.md).
"""

import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import models
from simple_history.models import HistoricalChanges

from .current_user import CurrentRequestMiddleware
from .models import LookupModel, UserDateAbstractModel

CURRENT_REQUEST_MIDDLEWARE = f"{CurrentRequestMiddleware.__module__}.{CurrentRequestMiddleware.__name__}"
MODELS_SECTION = "Models: lookup tables, through models, surrogate keys"


def see(section, document="docs/guidelines.md"):
    return f'See "{section}" in {document}.'


def is_project_path(path):
    """True for code of this project: under BASE_DIR, and not in a virtualenv or installed package there."""
    path, base = Path(path).resolve(), Path(settings.BASE_DIR).resolve()
    if not path.is_relative_to(base):
        return False
    if {"site-packages", "dist-packages"} & set(path.relative_to(base).parts):
        return False
    # A virtualenv kept in the project folder (.venv/, env/...) has pyvenv.cfg at its top.
    return not any((folder / "pyvenv.cfg").exists() for folder in path.parents if folder.is_relative_to(base))


def is_project_module(name):
    file = getattr(sys.modules.get(name), "__file__", None)
    return file is not None and is_project_path(file)


def project_models(app_configs):
    """Models of the project's own apps, wherever they live: in its package or next to manage.py.

    Not the historical models django-simple-history makes of them: copies, judged in their originals.
    """
    for app_config in app_configs or apps.get_app_configs():
        if is_project_path(app_config.path):
            for model in app_config.get_models():
                if not model._meta.proxy and not issubclass(model, HistoricalChanges):
                    yield model


def declared_fields(model):
    """The model's fields, less those inherited from abstract models outside the project (AbstractUser's...)."""
    inherited = {
        field.name
        for base in model.__mro__[1:]
        if getattr(base, "_meta", None) and base._meta.abstract and not is_project_module(base.__module__)
        for field in [*base._meta.local_fields, *base._meta.local_many_to_many]
    }
    return [
        field for field in [*model._meta.local_fields, *model._meta.local_many_to_many] if field.name not in inherited
    ]


def check_field(field):
    if field.choices is not None:
        yield checks.Warning(
            "Field has choices: use a ForeignKey to a lookup model instead.",
            hint="A lookup table takes new values without a deploy or a migration. " + see(MODELS_SECTION),
            obj=field,
            id="core.W001",
        )
    if isinstance(field, models.ManyToManyField):
        through = field.remote_field.through
        # An unresolved through="app.Model" string is Django's own error (fields.E331), not ours.
        if not isinstance(through, str) and through._meta.auto_created:
            yield checks.Warning(
                "ManyToManyField without a through model: declare one and pass it as through=.",
                hint="An explicit model can grow fields (who, when) later without rebuilding the table. "
                + see(MODELS_SECTION),
                obj=field,
                id="core.W002",
            )
    # A one-to-one primary key (multi-table inheritance, profiles) borrows the other table's key.
    if field.primary_key and not isinstance(field, models.AutoField) and not field.remote_field:
        yield checks.Warning(
            "Natural or composite primary key: keep the default auto id, and make these values unique instead.",
            hint="Natural keys change, and every foreign key pointing at them has to follow. " + see(MODELS_SECTION),
            obj=field,
            id="core.W004",
        )


def check_models(app_configs=None, **kwargs):
    warnings = []
    for model in project_models(app_configs):
        for field in declared_fields(model):
            warnings.extend(check_field(field))
        if issubclass(model, UserDateAbstractModel) and CURRENT_REQUEST_MIDDLEWARE not in settings.MIDDLEWARE:
            warnings.append(
                checks.Warning(
                    f"Model keeps audit fields, but {CURRENT_REQUEST_MIDDLEWARE} is not in MIDDLEWARE:"
                    " created_by and modified_by will stay empty.",
                    hint="Add it after AuthenticationMiddleware. " + see("Audit fields from the current user"),
                    obj=model,
                    id="core.W005",
                )
            )
    return warnings


def check_audit_fields(app_configs=None, **kwargs):
    """Every model of the project's records who created and changed its rows, or says why it does not."""
    warnings = []
    for model in project_models(app_configs):
        if issubclass(model, UserDateAbstractModel | LookupModel) or getattr(model, "without_audit_fields", None):
            continue
        # A model built on another library's (AbstractUser) keeps that library's design.
        if any(base is not models.Model and not is_project_module(base.__module__) for base in model.__bases__):
            continue
        warnings.append(
            checks.Warning(
                "Model keeps no audit fields: nobody will know who created or last changed a row, and "
                "RowPermissionMixin has no owner to go by.",
                hint="Inherit UserDateAbstractModel, or say why not in a class attribute: "
                'without_audit_fields = "reference data, loaded by a migration". '
                + see("Audit fields from the current user"),
                obj=model,
                id="core.W010",
            )
        )
    return warnings
