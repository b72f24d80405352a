"""Shortcuts for the development loop, the same on Windows, Linux and macOS.

    python tasks.py serve [options]     the dev server, runserver_plus with the Werkzeug debugger
    python tasks.py test [options]      the test suite (pytest options)
    python tasks.py manage COMMAND ...  any manage.py command
    python tasks.py db init|start|run|stop   a PostgreSQL cluster of the project's own (devdb.py)

They use the project's .venv without activating it (or the running Python when there is no .venv).
"""

import subprocess
import sys
from pathlib import Path

import devdb

ROOT = Path(__file__).resolve().parent
TASKS = {
    "serve": ["manage.py", "runserver_plus"],
    "test": ["-m", "pytest"],
    "manage": ["manage.py"],
}


def project_python():
    for python in (ROOT / ".venv" / "Scripts" / "python.exe", ROOT / ".venv" / "bin" / "python"):
        if python.exists():
            return str(python)
    return sys.executable


def main(arguments):
    if not arguments or arguments[0] not in {*TASKS, "db"}:
        print(__doc__, file=sys.stderr)
        return 2
    task, *options = arguments
    if task == "db":
        return devdb.main(options)
    try:
        return subprocess.run([project_python(), *TASKS[task], *options], cwd=ROOT).returncode
    except KeyboardInterrupt:  # Ctrl+C stops the dev server: not an error
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
