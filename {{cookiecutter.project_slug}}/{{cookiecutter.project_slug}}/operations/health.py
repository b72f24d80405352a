"""/health/: can the site serve? For monitors and the deploy (deploy/release.py), which want a yes or no.

The checks are django-health-check's, plus one for migrations. Anyone may ask, so the answer is only
"ok" (200) or "unhealthy" (503); which check failed and why goes to the log (logger health_check).
"""

import asyncio
import contextlib
import dataclasses
from concurrent.futures import ThreadPoolExecutor

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class MigrationsApplied(HealthCheck):
    """Every migration of the running code is applied: code deployed without `migrate` is not healthy."""

    alias: str = DEFAULT_DB_ALIAS

    def run(self):
        connection = connections[self.alias]
        try:
            executor = MigrationExecutor(connection)
            unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
        finally:
            # The check runs in a worker thread of its own: its connection must not outlive it.
            connection.close()
        if unapplied:
            raise ServiceUnavailable(f"{len(unapplied)} migrations are not applied")


class HealthView(HealthCheckView):
    # Storage writes, reads and deletes a file in MEDIA_ROOT: uploads can be saved.
    checks = (Database, MigrationsApplied, Cache, Storage)

    @contextlib.contextmanager
    def get_executor(self):
        # A check past its timeout (a store that hangs) still waits in its thread for its client's own
        # timeouts; the answer must not wait with it, or gunicorn kills the worker first.
        executor = ThreadPoolExecutor(max_workers=len(self.checks))
        try:
            yield executor
        finally:
            executor.shutdown(wait=False)

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        if any(result.error for result in results):
            return HttpResponse("unhealthy\n", status=503, content_type="text/plain")
        return HttpResponse("ok\n", content_type="text/plain")
