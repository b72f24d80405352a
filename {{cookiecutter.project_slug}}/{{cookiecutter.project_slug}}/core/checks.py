"""System checks that keep the project's guidelines holding (registered in CoreConfig.ready()).

They run on every ``manage.py check``, ``runserver`` and ``migrate``. Model
checks look only at the project's own apps and at the fields the project
declared: what Django and third-party apps decided is not ours to judge.
Silence an id in SILENCED_SYSTEM_CHECKS when breaking a guideline is a
deliberate choice, and say why next to it.
"""

import importlib
import importlib.util
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest
from django.utils.module_loading import import_string
from simple_history.models import HistoricalChanges

from .current_user import CurrentRequestMiddleware
from .media import DatedUploadTo, ProtectedFileField
from .models import LookupModel, UserDateAbstractModel
from .tables import Table

CURRENT_REQUEST_MIDDLEWARE = f"{CurrentRequestMiddleware.__module__}.{CurrentRequestMiddleware.__name__}"
TOOLBAR_MIDDLEWARE = "debug_toolbar.middleware.DebugToolbarMiddleware"
TOOLBAR_DEFAULT_CALLBACK = "debug_toolbar.middleware.show_toolbar"
MODELS_SECTION = "Models: lookup tables, through models, surrogate keys"
LISTS_SECTION = "Lists that stay fast"


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
    if isinstance(field, models.FileField) and not isinstance(field.upload_to, DatedUploadTo):
        yield checks.Warning(
            "FileField does not use upload_to=DatedUploadTo(...).",
            hint="Files then land in dated folders under safe ASCII names. " + see("Dated, ASCII upload paths"),
            obj=field,
            id="core.W003",
        )
    yield from check_protected_file(field)
    # A one-to-one primary key (multi-table inheritance, profiles) borrows the other table's key.
    if field.primary_key and not isinstance(field, models.AutoField) and not field.remote_field:
        yield checks.Warning(
            "Natural or composite primary key: keep the default auto id, and make these values unique instead.",
            hint="Natural keys change, and every foreign key pointing at them has to follow. " + see(MODELS_SECTION),
            obj=field,
            id="core.W004",
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
    problem = protected_file_problem(field) if isinstance(field, models.FileField) else None
    if problem:
        yield checks.Warning(
            f"File field {problem}: its url would be a media path, which nothing serves for protected files.",
            hint="Use ProtectedFileField with DatedUploadTo(..., protected=True), and give the model a "
            "get_download_url() returning its permission-checked download view. "
            + see("Protected files: Django checks, nginx sends"),
            obj=field,
            id="core.W009",
        )


def is_indexed(model, name):
    """True when a database index can serve an ORDER BY on ``name``: the field's own, or one it is part of."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return True  # not a column of this model (an annotation...): Django reports real mistakes itself
    if not getattr(field, "column", None) or field.primary_key or field.unique or field.db_index:
        return True
    indexed = [*model._meta.indexes, *model._meta.total_unique_constraints]
    return any(name in [part.lstrip("-") for part in index.fields] for index in indexed) or any(
        name in fields for fields in model._meta.unique_together
    )


def sorts_through_a_join(model, name):
    """A relation path, or a foreign key: Django sorts by the related model's ordering, after joining it."""
    if "__" in name:
        return True
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return field.many_to_one and bool(field.related_model._meta.ordering)


def unindexed_orderings(model, names):
    """The names in an ordering that no index of the model's table serves: unindexed columns, and sorts
    through a relation, which read and join every row before they can sort."""
    for name in names:
        if not isinstance(name, str) or name in ("?", "pk", "-pk"):
            continue
        name = name.lstrip("-")
        if sorts_through_a_join(model, name) or not is_indexed(model, name):
            yield name


def check_ordering(model):
    for name in unindexed_orderings(model, model._meta.ordering):
        yield checks.Warning(
            f"Meta.ordering sorts by {name!r}, which no index serves: every list of this model sorts the whole table.",
            hint=f"Add db_index=True to {name}, or an index in Meta.indexes. " + see(LISTS_SECTION),
            obj=model,
            id="core.W008",
        )


def project_tables(app_configs=None):
    """The django-tables2 tables in the tables.py of each of the project's apps."""
    for app_config in app_configs or apps.get_app_configs():
        module_name = f"{app_config.name}.tables"
        if is_project_path(app_config.path) and importlib.util.find_spec(module_name):
            module = importlib.import_module(module_name)
            yield from (
                value
                for value in vars(module).values()
                if isinstance(value, type) and issubclass(value, Table) and value.__module__ == module_name
            )


def check_table_orderings(tables):
    for table in tables:
        model = getattr(table._meta, "model", None)
        if model is None:
            continue
        sortable = []
        for name, column in table.base_columns.items():
            if column.orderable is False or not table._meta.orderable:
                continue
            order_by = column.order_by or column.accessor or name
            sortable.extend([order_by] if isinstance(order_by, str) else order_by)
        for name in unindexed_orderings(model, [str(order_by).replace(".", "__") for order_by in sortable]):
            yield checks.Warning(
                f"{table.__name__} sorts by {name!r}, which no index serves: sorting it reads the whole table.",
                hint=f"Add db_index=True to {model.__name__}.{name}, or make the column orderable=False (a related "
                "object is better filtered by than sorted by). " + see(LISTS_SECTION),
                obj=table,
                id="core.W008",
            )


def check_models(app_configs=None, **kwargs):
    warnings = []
    for model in project_models(app_configs):
        warnings.extend(check_ordering(model))
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
    warnings.extend(check_table_orderings(project_tables(app_configs)))
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


def check_debug_toolbar(app_configs=None, **kwargs):
    """Asks SHOW_TOOLBAR_CALLBACK about a local request, as the toolbar's middleware would."""
    if settings.DEBUG or TOOLBAR_MIDDLEWARE not in settings.MIDDLEWARE:
        return []
    callback = getattr(settings, "DEBUG_TOOLBAR_CONFIG", {}).get("SHOW_TOOLBAR_CALLBACK", TOOLBAR_DEFAULT_CALLBACK)
    if isinstance(callback, str):
        callback = import_string(callback)
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    if not callback(request):
        return []
    return [
        checks.Warning(
            "The debug toolbar is shown while DEBUG is off: it lays SQL, settings and headers open to visitors.",
            hint="Let SHOW_TOOLBAR_CALLBACK return False without DEBUG, or remove the toolbar from this environment. "
            + see("The debug toolbar", "README.md"),
            id="core.W006",
        )
    ]


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
