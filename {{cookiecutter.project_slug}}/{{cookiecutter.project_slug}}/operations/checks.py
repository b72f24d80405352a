"""What a deployed server needs that development does not (registered in OperationsConfig.ready()). The ids keep
their "core." prefix (core/checks.py says why)."""

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core import checks
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import AddField, CreateModel
from django.db.models import NOT_PROVIDED
from django.utils.module_loading import import_string

from ..core.checks import is_project_path, see


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


def check_accessibility_statement(app_configs=None, **kwargs):
    """ACCESSIBILITY_STATEMENT's conformance is one the statement can say: a typo stops the server's start."""
    conformance = settings.ACCESSIBILITY_STATEMENT.get("conformance")
    if conformance in {"full", "partial", "none"}:
        return []
    return [
        checks.Error(
            f"ACCESSIBILITY_STATEMENT['conformance'] is {conformance!r}: it must be full, partial or none.",
            hint=see("The accessibility statement", "docs/accessibility.md"),
            id="core.E001",
        )
    ]


def check_accessibility_statement_reviewed(app_configs=None, **kwargs):
    """A deploy check: the statement a public body's site must publish says when it was last reviewed and
    where people report a barrier. A note, not a warning: a first deploy needs no review yet."""
    missing = [key for key in ("reviewed_on", "contact") if not settings.ACCESSIBILITY_STATEMENT.get(key)]
    if not missing:
        return []
    section = see("The accessibility statement", "docs/accessibility.md")
    return [
        checks.Info(
            f"ACCESSIBILITY_STATEMENT has no {' and no '.join(missing)}: /accessibility/ cannot say it.",
            hint=f"Set it in local.py after each review. {section}",
            id="core.I001",
        )
    ]


def check_migrations_keep_the_running_release_working(app_configs=None, databases=None, **kwargs):
    """A database check (``check --database default``, which the deploy runs, and ``migrate``): the migrations
    not yet applied, which a deploy runs while the previous release still serves."""
    return [warning for alias in databases or [] for warning in required_columns_added(unapplied(alias))]


def unapplied(alias):
    executor = MigrationExecutor(connections[alias])
    return [migration for migration, backwards in executor.migration_plan(executor.loader.graph.leaf_nodes())]


def required_columns_added(migrations):
    """A column added NOT NULL without a database default to a table the running code writes: its INSERTs,
    which leave the column out, fail from the migration until the reload (Django's default= is only the
    migration's, dropped once existing rows have it). Tables made by the same migrations are nobody's yet."""
    created = set()
    for migration in migrations:
        if not is_project_path(apps.get_app_config(migration.app_label).path):
            continue
        for operation in migration.operations:
            if isinstance(operation, CreateModel):
                created.add((migration.app_label, operation.name_lower))
            elif isinstance(operation, AddField) and (migration.app_label, operation.model_name_lower) not in created:
                field = operation.field
                if not field.many_to_many and not field.null and field.db_default is NOT_PROVIDED:
                    yield checks.Warning(
                        f"Migration {migration.app_label}.{migration.name} adds {operation.model_name}."
                        f"{operation.name} NOT NULL without a database default: while the deploy migrates, the "
                        "release still serving fails every INSERT into that table.",
                        hint="Add it with null=True or db_default=..., make it required a release later. "
                        + see("Migrations while the site serves", "docs/deploy.md"),
                        obj=migration,
                        id="core.W011",
                    )
