"""Lists that stay fast (registered in ListsConfig.ready()): every ordering, of a model or of a table's sortable
column, has an index to serve it. The id keeps its "core." prefix (core/checks.py says why)."""

import importlib
import importlib.util

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist

from ..core.checks import is_project_path, project_models, see
from .tables import Table

LISTS_SECTION = "Lists that stay fast"


def check_orderings(app_configs=None, **kwargs):
    warnings = [warning for model in project_models(app_configs) for warning in check_ordering(model)]
    return warnings + list(check_table_orderings(project_tables(app_configs)))


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
