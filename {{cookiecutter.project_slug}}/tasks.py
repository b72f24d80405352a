"""Shortcuts for the development loop and the deploy, the same on Windows, Linux and macOS.

    python tasks.py serve [options]     the dev server, runserver_plus with the Werkzeug debugger
    python tasks.py test [options]      the test suite (pytest options)
    python tasks.py manage COMMAND ...  any manage.py command
    python tasks.py startapp NAME       a new app in the project package, with its first migration
    python tasks.py messages [-l LANG]  makemessages into each catalogue (Greek, el, unless told)
    python tasks.py db init|start|run|stop   a PostgreSQL cluster of the project's own (devdb.py)
    python tasks.py deploy [REF] [--ssh USER@HOST | --hosts A,B]   a new release on the server(s) (deploy/release.py)
    python tasks.py rollback [--to RELEASE] [--ssh USER@HOST]   the release before it serves again
    python tasks.py maintenance on|off [--message TEXT] [--ssh USER@HOST]   nginx's maintenance page
    python tasks.py lock [--upgrade | --check]   the locks (requirements/*.txt) from the ranges (*.in)
    python tasks.py update [--checkout REF] [--set NAME=VALUE] [--resolved | --check]
                                        take the template's changes since the bake (docs/update.md)

They use the project's .venv without activating it (or the running Python when there is no .venv).
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import devdb
import locks
from deploy import release

ROOT = Path(__file__).resolve().parent
# Cookiecutter's short template addresses, spelled out for git.
ABBREVIATIONS = {"gh:": "https://github.com/", "gl:": "https://gitlab.com/", "bb:": "https://bitbucket.org/"}
TASKS = {
    "serve": ["manage.py", "runserver_plus"],
    "test": ["-m", "pytest"],
    "manage": ["manage.py"],
}
# deploy/release.py's, run on the server (or sent there with --ssh).
SERVER_TASKS = {"deploy", "rollback", "maintenance"}
COMMANDS = {*TASKS, *SERVER_TASKS, "db", "startapp", "messages", "lock", "update"}


def project_python():
    for python in (ROOT / ".venv" / "Scripts" / "python.exe", ROOT / ".venv" / "bin" / "python"):
        if python.exists():
            return str(python)
    return sys.executable


def main(arguments):
    if not arguments or arguments[0] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    task, *options = arguments
    if task == "db":
        return devdb.main(options)
    if task in SERVER_TASKS:
        return release.main([task, *options])
    if task == "startapp":
        return startapp(options)
    if task == "messages":
        return messages(options or ["-l", "el"])
    if task == "lock":
        return lock(options)
    if task == "update":
        return update(options)
    try:
        return run(*TASKS[task], *options)
    except KeyboardInterrupt:  # Ctrl+C stops the dev server: not an error
        return 0


def run(*arguments, cwd=ROOT):
    return subprocess.run([project_python(), *arguments], cwd=cwd).returncode


def startapp(options):
    """manage.py startapp: the project's own (devtools/management/commands/startapp.py) makes the migration too."""
    if not options or options[0].startswith("-"):
        print("usage: python tasks.py startapp NAME [--model CLASS]", file=sys.stderr)
        return 2
    return run("manage.py", "startapp", *options)


def messages(options):
    """makemessages: an app with a locale/ folder of its own keeps its strings there, the rest go to locale/."""
    makemessages = ["makemessages", "--no-location", *options]
    package = ROOT / "{{ cookiecutter.project_slug }}"
    apps_with_catalogues = sorted(locale.parent for locale in package.glob("*/locale"))
    ignored = ["app_template/*", ".venv/*", *(f"{app.relative_to(ROOT).as_posix()}/*" for app in apps_with_catalogues)]
    code = run("manage.py", *makemessages, *(f"--ignore={pattern}" for pattern in ignored))
    for app in apps_with_catalogues:
        code = code or run(ROOT / "manage.py", *makemessages, cwd=app)
    return code


def lock(options):
    """uv makes prod.txt from prod.in, then dev.txt within it: what the tests run is what the servers run."""
    if options == ["--check"]:
        found = locks.problems()
        print("\n".join(found) or "The locks agree with the ranges.", file=sys.stderr if found else sys.stdout)
        return 1 if found else 0
    if options not in ([], ["--upgrade"]):
        print("usage: python tasks.py lock [--upgrade | --check]", file=sys.stderr)
        return 2
    compile_lock = ["-m", "uv", "pip", "compile", "--quiet", "--universal", "--generate-hashes", *options]
    for name, within in (("prod", []), ("dev", ["-c", "requirements/prod.txt"])):
        source, lock_file = f"requirements/{name}.in", f"requirements/{name}.txt"
        if code := run(*compile_lock, "--python-version", "3.11", source, *within, "-o", lock_file):
            return code
    return 0


def update(options):
    """The template's own update (its tools/update.py), run from a fresh clone at --checkout REF or its newest."""
    parser = argparse.ArgumentParser(prog="python tasks.py update", add_help=False, allow_abbrev=False)
    parser.add_argument("--checkout", metavar="REF")
    known, rest = parser.parse_known_args(options)
    tracking = ROOT / ".cruft.json"
    if not tracking.exists():
        print(f"{tracking.name} is missing: see docs/update.md, 'Updating from the template'.", file=sys.stderr)
        return 2
    template = json.loads(tracking.read_text(encoding="utf-8"))["template"]
    for short, address in ABBREVIATIONS.items():
        if template.startswith(short):
            template = address + template.removeprefix(short)
    if known.checkout and known.checkout.startswith("-"):
        print(f"--checkout {known.checkout!r}: name a branch, tag or commit of the template", file=sys.stderr)
        return 2
    # A server that stops sending for a minute ends the clone instead of hanging it.
    git = ["git", "-c", "http.lowSpeedLimit=1", "-c", "http.lowSpeedTime=60"]
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as clone:
        code = subprocess.run([*git, "clone", "--quiet", "--", template, clone]).returncode
        if not code and known.checkout:
            code = subprocess.run([*git, "-C", clone, "checkout", "--quiet", known.checkout]).returncode
        return code or subprocess.run([sys.executable, Path(clone) / "tools" / "update.py", ROOT, *rest]).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
