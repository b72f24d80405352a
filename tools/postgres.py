"""A throwaway PostgreSQL cluster on loopback, made like the project's development one (tasks.py db)."""

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tools.processes import ServerError, free_port, read_log

POSTGRES_BIN_DIRS = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)


@dataclass
class Postgres:
    port: int
    socket_dir: Path
    bin_dir: Path

    def psql(self, sql, database="postgres"):
        command = [str(self.bin_dir / "psql"), "-h", str(self.socket_dir), "-p", str(self.port), "-U", "postgres"]
        subprocess.run([*command, "-d", database, "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True)

    def create_role_and_database(self, name, password):
        """The role the project connects as; CREATEDB so its test suite can make its test database."""
        self.psql(f"CREATE ROLE {name} LOGIN CREATEDB PASSWORD '{password}'")
        self.psql(f"CREATE DATABASE {name} OWNER {name}")


@contextlib.contextmanager
def postgres_cluster(bin_dir):
    """A throwaway PostgreSQL cluster on 127.0.0.1 and a free port; password login over TCP.

    PostgreSQL refuses to run as root, so as root the cluster belongs to the ``postgres`` system user.
    """
    bin_dir = Path(bin_dir)
    as_postgres = []
    directory = Path(tempfile.mkdtemp(prefix="pg-"))
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(directory, account.pw_uid, account.pw_gid)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data, log, port = directory / "data", directory / "server.log", free_port()

    def run(*command):
        result = subprocess.run([*as_postgres, *map(str, command)], capture_output=True, text=True)
        if result.returncode != 0:
            raise ServerError(f"{command[0]} failed:\n{result.stdout}\n{result.stderr}\n{read_log(log)}")

    try:
        # Sorting and letters as the project's runbook sets them up: ICU, and a UTF-8 character type.
        locale = ["-E", "UTF-8", "--locale=C.UTF-8", "--locale-provider=icu", "--icu-locale=und"]
        authentication = ["--auth-local=trust", "--auth-host=scram-sha-256"]
        run(bin_dir / "initdb", "-D", data, *locale, "-U", "postgres", *authentication)
        options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={directory} -c fsync=off"
        run(bin_dir / "pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "start")
        try:
            yield Postgres(port, directory, bin_dir)
        finally:
            run(bin_dir / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(directory, ignore_errors=True)
