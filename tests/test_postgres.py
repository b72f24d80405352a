"""The generated project on a real PostgreSQL server, connected the way local.py.template says."""

import re
import secrets
from pathlib import Path

import pytest
import servers
from conftest import ALL_OPTIONS_ON, Project, bake

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("postgres")]

SHOW_VENDOR = "from django.db import connection; print(connection.vendor, connection.settings_dict['PORT'])"


def template_databases_block(project, password, port):
    """local.py.template's DATABASES block, with only this host's password and port filled in."""
    template = (project.path / project.slug / "settings" / "local.py.template").read_text()
    (block,) = re.findall(r"^DATABASES = \{\n.*?^\}\n", template, flags=re.MULTILINE | re.DOTALL)
    for old, new in {'"PASSWORD": ""': f'"PASSWORD": "{password}"', '"PORT": "5432"': f'"PORT": "{port}"'}.items():
        assert old in block
        block = block.replace(old, new)
    return block


@pytest.fixture(scope="module")
def on_postgres(need, cookies_session, baked_python):
    initdb = need("initdb", *servers.POSTGRES_BIN_DIRS)
    project = Project(bake(cookies_session, **ALL_OPTIONS_ON), baked_python, ALL_OPTIONS_ON)
    password = secrets.token_urlsafe(16)
    with servers.postgres_cluster(Path(initdb).parent) as cluster:
        cluster.create_role_and_database(project.slug, password)
        project.fill_local(extra="\n" + template_databases_block(project, password, cluster.port))
        yield project, cluster


def test_migrates_on_postgresql(on_postgres):
    project, cluster = on_postgres
    result = project.manage("migrate", "--no-input", settings="prod")
    assert "Applying users.0001_initial... OK" in result.stdout
    assert "Applying documents.0001_initial... OK" in result.stdout
    vendor = project.manage("shell", "-c", SHOW_VENDOR, settings="prod").stdout.splitlines()[-1]
    assert vendor == f"postgresql {cluster.port}"
    project.manage("check", "--deploy", "--database", "default", "--fail-level", "WARNING", settings="prod")
    assert not (project.path / "db.sqlite3").exists()


def test_own_test_suite_passes_on_postgresql(on_postgres):
    project, cluster = on_postgres
    # test.py imports local.py too, so the suite runs on this server.
    vendor = project.manage("shell", "-c", SHOW_VENDOR, settings="test").stdout.splitlines()[-1]
    assert vendor == f"postgresql {cluster.port}"
    result = project.run("-m", "pytest", "-q", "-p", "no:cacheprovider", "--create-db", timeout=900)
    assert re.search(r"\d+ passed", result.stdout), result.stdout
    assert "failed" not in result.stdout and "error" not in result.stdout.lower()
