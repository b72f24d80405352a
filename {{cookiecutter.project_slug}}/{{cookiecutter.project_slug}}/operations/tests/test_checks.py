"""The deploy check (operations/checks.py): hashed static files on every server."""

import pytest
from django.core import checks

from ..checks import check_static_files_storage


@pytest.mark.parametrize(
    ("backend", "expected"),
    [
        ("django.contrib.staticfiles.storage.StaticFilesStorage", ["core.W007"]),
        ("django.contrib.staticfiles.storage.ManifestStaticFilesStorage", []),
    ],
)
def test_deployments_need_manifest_static_files(settings, backend, expected):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": backend}}
    assert [message.id for message in check_static_files_storage()] == expected


def test_static_files_storage_is_a_deploy_check():
    """The test settings use plain storage: only ``check --deploy`` reports it."""
    assert "core.W007" not in [message.id for message in checks.run_checks()]
    assert "core.W007" in [message.id for message in checks.run_checks(include_deployment_checks=True)]
