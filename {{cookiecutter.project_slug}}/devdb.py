"""PostgreSQL for development, the project's own cluster in .pgdata/ (run through tasks.py).

    python tasks.py db init     create the cluster (UTF-8, 127.0.0.1 only, a password for every role), start
                                it, create the role and database, and point local.py's DATABASES at it
    python tasks.py db start    start it in the background (log: .pgdata/server.log)
    python tasks.py db run      run it in this window until Ctrl+C, like a pg.bat
    python tasks.py db stop     stop it

The PostgreSQL programs come from the folder in the PG_BIN environment variable (on Windows, the bin
folder of the zip of binaries), else from PATH, else from Debian's /usr/lib/postgresql/<newest>/bin.
"""

import contextlib
import glob
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DATA = ROOT / ".pgdata"
LOG = DATA / "server.log"
# The superuser's password, inside the cluster's folder that only its owner may open (initdb makes it 0700).
SUPERUSER_PASSWORD = DATA / "postgres.password"
PACKAGE = "{{ cookiecutter.project_slug }}"
# Text sorts as people who read this language expect (ICU), and UPPER() and the trigram index behind
# icontains filters know its letters; "C" would sort by code point and see Greek as punctuation.
LOCALE_OPTIONS = ["--locale-provider=icu", "--icu-locale={{ cookiecutter.language_code }}"]
# Windows has no C.UTF-8: initdb takes the system's locale there, which knows every letter too.
LOCALE_OPTIONS += [] if os.name == "nt" else ["--locale=C.UTF-8"]
LOCAL = ROOT / PACKAGE / "settings" / "local.py"
BLOCK_START = "# PostgreSQL development cluster (python tasks.py db init): begin"
BLOCK_END = "# PostgreSQL development cluster: end"


class DevDbError(Exception):
    """Stops the command with its one-line message."""


def program(name):
    folders = [os.environ.get("PG_BIN", ""), *os.environ.get("PATH", "").split(os.pathsep)]
    folders += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(Path(path).parent.name))[::-1]
    for folder in filter(None, folders):
        found = shutil.which(name, path=folder)
        if found:
            return found
    raise DevDbError(f"{name} not found: install PostgreSQL, or set PG_BIN to the folder holding its programs.")


def run(name, *arguments, password=None):
    environment = {**os.environ, "PGPASSWORD": password} if password else None
    result = subprocess.run([program(name), *map(str, arguments)], capture_output=True, text=True, env=environment)
    if result.returncode != 0:
        raise DevDbError(f"{name} failed: {last_line(result.stderr or result.stdout)}")
    return result.stdout


def last_line(text):
    lines = text.strip().splitlines()
    return lines[-1] if lines else "no message"


def write_private(path, text):
    """Write ``text`` to a file only its owner may read (Windows keeps its own ACLs), even if it existed."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    os.chmod(path, 0o600)


def port():
    return int(re.search(r"^port = (\d+)", (DATA / "postgresql.conf").read_text(), re.MULTILINE)[1])


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def databases_block(port_number, password):
    return (
        f"{BLOCK_START}\n"
        "DATABASES = {\n"
        '    "default": {\n'
        '        "ENGINE": "django.db.backends.postgresql",\n'
        f'        "NAME": "{PACKAGE}",\n'
        f'        "USER": "{PACKAGE}",\n'
        f'        "PASSWORD": "{password}",\n'
        '        "HOST": "127.0.0.1",\n'
        f'        "PORT": "{port_number}",\n'
        "    }\n"
        "}\n"
        f"{BLOCK_END}\n"
    )


def write_local_settings(port_number, password):
    """Put the block into local.py, replacing an earlier one, keeping everything else (SECRET_KEY...)."""
    text = LOCAL.read_text(encoding="utf-8") if LOCAL.exists() else ""
    text = re.sub(rf"\n*{re.escape(BLOCK_START)}.*?{re.escape(BLOCK_END)}\n", "\n", text, flags=re.DOTALL)
    write_private(LOCAL, f"{text.rstrip()}\n\n{databases_block(port_number, password)}".lstrip())


def init():
    if os.name != "nt" and os.geteuid() == 0:
        raise DevDbError("PostgreSQL refuses to run as root: run this as the user you develop as.")
    if DATA.exists():
        raise DevDbError(f"{DATA} exists already: 'python tasks.py db start' starts it.")
    major = int(re.search(r"\(PostgreSQL\) (\d+)", run("initdb", "--version"))[1])
    if major < 15:
        raise DevDbError(f"PostgreSQL {major} cannot make a cluster sort by ICU: install PostgreSQL 15 or newer.")
    # Every role logs in with a password, even from this machine: any local user can reach 127.0.0.1.
    superuser_password, project_password = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    password_file = ROOT / ".pgdata-password"
    write_private(password_file, superuser_password)
    try:
        options = ["-E", "UTF-8", *LOCALE_OPTIONS, "-U", "postgres", "--auth=scram-sha-256"]
        run("initdb", "-D", DATA, *options, f"--pwfile={password_file}")
    finally:
        password_file.unlink()
    write_private(SUPERUSER_PASSWORD, superuser_password)
    port_number = free_port()
    with open(DATA / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write("\n# This project's development cluster: loopback only.\nlisten_addresses = '127.0.0.1'\n")
        conf.write(f"port = {port_number}\nunix_socket_directories = ''\n")
    # TCP from this machine only (Windows has no Unix sockets), and never without the password.
    (DATA / "pg_hba.conf").write_text("host all all 127.0.0.1/32 scram-sha-256\n", encoding="utf-8")
    start()
    psql = ["-h", "127.0.0.1", "-p", port_number, "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-c"]
    run(
        "psql",
        *psql,
        f"CREATE ROLE \"{PACKAGE}\" LOGIN CREATEDB PASSWORD '{project_password}'",
        password=superuser_password,
    )
    run("psql", *psql, f'CREATE DATABASE "{PACKAGE}" OWNER "{PACKAGE}"', password=superuser_password)
    write_local_settings(port_number, project_password)
    print(f"PostgreSQL runs on 127.0.0.1:{port_number}; local.py uses it. Next: python manage.py migrate")


def is_running():
    if not DATA.exists():
        raise DevDbError("There is no cluster yet: 'python tasks.py db init' makes one.")
    return subprocess.run([program("pg_ctl"), "-D", str(DATA), "status"], capture_output=True).returncode == 0


def start():
    if is_running():
        print(f"PostgreSQL is already running on 127.0.0.1:{port()}.")
        return
    try:
        run("pg_ctl", "-D", DATA, "-l", LOG, "-w", "start")
    except DevDbError:
        raise DevDbError(f"PostgreSQL did not start: {last_line(LOG.read_text(encoding='utf-8'))}") from None
    print(f"PostgreSQL started on 127.0.0.1:{port()} (log: {LOG.relative_to(ROOT)})")


def stop():
    if not is_running():
        print("PostgreSQL is not running.")
        return
    run("pg_ctl", "-D", DATA, "-m", "fast", "-w", "stop")
    print("PostgreSQL stopped.")


def run_in_foreground():
    if is_running():
        raise DevDbError(f"PostgreSQL is already running on 127.0.0.1:{port()}: 'python tasks.py db stop' first.")
    print(f"PostgreSQL on 127.0.0.1:{port()}; Ctrl+C stops it.")
    with contextlib.suppress(KeyboardInterrupt):
        server = subprocess.run([program("postgres"), "-D", str(DATA)], stderr=subprocess.PIPE, text=True)
        if server.returncode != 0:
            raise DevDbError(f"PostgreSQL stopped with an error: {last_line(server.stderr)}")


COMMANDS = {"init": init, "start": start, "stop": stop, "run": run_in_foreground}


def main(arguments):
    if len(arguments) != 1 or arguments[0] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        COMMANDS[arguments[0]]()
    except DevDbError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    return 0
