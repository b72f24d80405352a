"""Bake a project with the default answers and start its development server, on Linux, macOS and Windows.

    python tools/quickstart.py                 # bake into build/, install, migrate, serve on 127.0.0.1:8000
    python tools/quickstart.py --ask           # answer the questions instead of taking the defaults
    python tools/quickstart.py --no-server     # stop after migrating

Needs only Python 3.11+ and access to the Python package index.
"""

import argparse
import subprocess
import sys
from pathlib import Path

from envs import REPO, ensure_venv


def parse_arguments(arguments):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, default=REPO / "build", help="where the project goes (build/)")
    parser.add_argument("--ask", action="store_true", help="ask the template's questions")
    parser.add_argument("--no-server", action="store_true", help="do not start the development server")
    parser.add_argument("--port", type=int, default=8000)
    return parser.parse_args(arguments)


def bake(tool_python, output_dir, ask):
    output_dir.mkdir(parents=True, exist_ok=True)
    before = {path.name for path in output_dir.iterdir()}
    command = [str(tool_python), "-m", "cookiecutter", str(REPO), "--output-dir", str(output_dir)]
    if not ask:
        command.append("--no-input")
    if subprocess.run(command).returncode != 0:
        sys.exit("The project was not created (see the message above).")
    (created,) = {path.name for path in output_dir.iterdir()} - before
    return output_dir / created


def main(arguments):
    options = parse_arguments(arguments)
    tool_python = ensure_venv(REPO / ".venv", [REPO / "requirements.txt"])
    project = bake(tool_python, options.output_dir.resolve(), options.ask)
    print(f"Installing the project's development requirements into {project / '.venv'} ...")
    python = ensure_venv(project / ".venv", [project / "requirements" / "dev.txt"])
    manage = [str(python), "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input"], cwd=project, check=True)
    if options.no_server:
        print(f"Ready: {project}")
        return 0
    print(f"Serving {project.name} on http://127.0.0.1:{options.port}/ (Ctrl+C stops it).")
    return subprocess.run([*manage, "runserver_plus", f"127.0.0.1:{options.port}"], cwd=project).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
