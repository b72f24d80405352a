"""The generated project on a real PostgreSQL server, connected the way local.py.template says."""

import os
import pwd
import re
import secrets
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from helpers import ALL_OPTIONS_ON, Project, selected_options

from tools import postgres
from tools.workflows import run_job_steps

pytestmark = pytest.mark.integration

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
def on_postgres(need, bake_project):
    initdb = need("initdb", *postgres.POSTGRES_BIN_DIRS)
    project = bake_project(**ALL_OPTIONS_ON)
    password = secrets.token_urlsafe(16)
    with postgres.postgres_cluster(Path(initdb).parent) as cluster:
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


def test_the_ci_postgresql_job_passes_on_a_fresh_clone(need, default_project):
    """The generated CI's PostgreSQL job, its service container played by a local server."""
    initdb = need("initdb", *postgres.POSTGRES_BIN_DIRS)
    (default_project.path / default_project.slug / "settings" / "local.py").unlink()
    with postgres.postgres_cluster(Path(initdb).parent) as cluster:
        cluster.psql("ALTER ROLE postgres PASSWORD 'postgres'")
        port = {"PGPORT": cluster.port}
        outputs = run_job_steps(default_project.path, "postgresql", default_project.python, env=port)
        vendor = default_project.manage("shell", "-c", SHOW_VENDOR).stdout.splitlines()[-1]
    assert "Applying users.0001_initial... OK" in outputs[-2]
    assert not (default_project.path / "db.sqlite3").exists()
    assert re.search(r"\d+ passed", outputs[-1]) and "failed" not in outputs[-1], outputs[-1]
    assert vendor.split()[0] == "postgresql"


@pytest.fixture
def bake_another_user_owns(bake):
    """A bake in a folder that PostgreSQL's system user owns: initdb refuses to run as root, as tests here do."""
    project_path = bake(include_documents_app=True)
    if os.geteuid() != 0:
        yield project_path, []
        return
    account = pwd.getpwnam("postgres")
    home = Path(tempfile.mkdtemp(prefix="devdb-"))
    try:
        home.chmod(0o755)
        moved = Path(shutil.copytree(project_path, home / project_path.name))
        for path in [home, moved, *moved.rglob("*")]:
            os.chown(path, account.pw_uid, account.pw_gid)
        yield moved, ["runuser", "-u", "postgres", "--"]
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_tasks_db_makes_a_loopback_cluster_the_project_runs_on(need, bake_another_user_owns, baked_python):
    need("initdb", *postgres.POSTGRES_BIN_DIRS)
    path, as_developer = bake_another_user_owns
    project = Project(path, baked_python, selected_options({"include_documents_app": True}))
    # devdb.py needs only the standard library: the system's Python runs it for the developer's account.
    system_python = shutil.which("python3", path="/usr/bin") or sys.executable

    def tasks(*arguments):
        command = [*as_developer, system_python, "tasks.py", *arguments]
        return subprocess.run(command, cwd=path, capture_output=True, text=True, timeout=120)

    local = path / project.slug / "settings" / "local.py"
    local.unlink()  # init writes a missing local.py, readable by its owner only
    initialised = tasks("db", "init")
    assert initialised.returncode == 0, initialised.stderr
    try:
        port = re.search(r"127\.0\.0\.1:(\d+)", initialised.stdout)[1]
        conf = (path / ".pgdata" / "postgresql.conf").read_text()
        assert "listen_addresses = '127.0.0.1'" in conf
        # No trust: a local user who knows no password gets in as nobody, the superuser included.
        hba = (path / ".pgdata" / "pg_hba.conf").read_text()
        assert hba.split() == ["host", "all", "all", "127.0.0.1/32", "scram-sha-256"]
        psql = need("psql", *postgres.POSTGRES_BIN_DIRS)
        for role in ("postgres", project.slug):
            no_password = [psql, "-w", "-h", "127.0.0.1", "-p", port, "-U", role, "-d", "postgres", "-c", "SELECT 1"]
            refused = subprocess.run(no_password, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
            assert refused.returncode != 0 and "password" in refused.stderr, refused.stderr
        assert stat.S_IMODE(local.stat().st_mode) == 0o600
        assert stat.S_IMODE((path / ".pgdata" / "postgres.password").stat().st_mode) == 0o600
        text = local.read_text()
        assert f'"PORT": "{port}"' in text and '"PASSWORD": "' in text
        assert "/.pgdata/" in (path / ".gitignore").read_text().splitlines()
        vendor = project.manage("shell", "-c", SHOW_VENDOR, settings="dev").stdout.splitlines()[-1]
        assert vendor == f"postgresql {port}"
        project.manage("migrate", "--no-input", "-v0", settings="dev")
        # Nothing skipped: the tests only PostgreSQL can pass (Greek alphabetical order, the trigram index) ran.
        result = project.run("-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-x", timeout=900)
        assert re.search(r"\d+ passed", result.stdout) and "failed" not in result.stdout, result.stdout
        assert "skipped" not in result.stdout, result.stdout
        again = tasks("db", "init")
        assert again.returncode == 1 and again.stderr.startswith("ERROR: ") and "exists already" in again.stderr
        # A second start says so; running it in the foreground beside itself is an error, in one line.
        started = tasks("db", "start")
        assert (
            started.returncode == 0 and started.stdout.strip() == f"PostgreSQL is already running on 127.0.0.1:{port}."
        )
        in_foreground = tasks("db", "run")
        assert in_foreground.returncode == 1, in_foreground.stdout
        assert len(in_foreground.stderr.strip().splitlines()) == 1 and "already running" in in_foreground.stderr
    finally:
        stopped = tasks("db", "stop")
    assert stopped.returncode == 0, stopped.stderr
    again = tasks("db", "stop")
    assert again.returncode == 0 and again.stdout.strip() == "PostgreSQL is not running."
    # The port taken by another program: db run fails with the server's reason, not a silent exit 0.
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", int(port)))
        squatter.listen()
        for command in ("run", "start"):
            failed = tasks("db", command)
            assert failed.returncode == 1, (command, failed.stdout)
            assert failed.stderr.startswith("ERROR: ") and len(failed.stderr.strip().splitlines()) == 1, failed.stderr


def test_tasks_db_init_refuses_root_with_one_line(default_project):
    if os.geteuid() != 0:
        pytest.skip("only root is refused")
    result = default_project.run("tasks.py", "db", "init", check=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "ERROR: PostgreSQL refuses to run as root: run this as the user you develop as."
    ]
    assert not (default_project.path / ".pgdata").exists()
