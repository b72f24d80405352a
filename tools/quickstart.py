"""Bake a project with the default answers and start its development server, on Linux, macOS and Windows.

    python3 tools/quickstart.py                 # bake into build/ (or reuse it), install, migrate, serve
    python3 tools/quickstart.py --ask           # answer the questions instead of taking the defaults
    python3 tools/quickstart.py --project PATH  # install, migrate and serve a project baked before
    python3 tools/quickstart.py --no-server     # stop before serving

(On Windows: py tools\\quickstart.py.) Needs only Python 3.11+ and access to the Python package index.
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

# Run as a script (python3 tools/quickstart.py): the template's modules import from the repository's root.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from tools.bake import BakeFailed, bake, tooling_python  # noqa: E402
from tools.envs import REPO, ensure_venv  # noqa: E402

PYTHON = "py" if os.name == "nt" else "python3"
STEPS = 4


def parse_arguments(arguments):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, default=REPO / "build", help="where the project goes (build/)")
    parser.add_argument("--ask", action="store_true", help="ask the template's questions and bake a new project")
    parser.add_argument("--project", type=Path, help="serve this project, baked before, instead of baking one")
    parser.add_argument("--no-server", action="store_true", help="do not start the development server")
    parser.add_argument("--port", type=int, default=8000)
    return parser.parse_args(arguments)


@contextlib.contextmanager
def step(number, text):
    print(f"[{number}/{STEPS}] {text} ...", flush=True)
    started = time.monotonic()
    yield
    print(f"      done in {time.monotonic() - started:.1f} s", flush=True)


def shown(path):
    """``path`` as the user can type it from where they ran the command."""
    with contextlib.suppress(ValueError):
        return str(path.relative_to(Path.cwd()))
    return str(path)


def default_slug(tool_python):
    """The project_slug the default answers give (the same transliteration the bake uses)."""
    name = json.loads((REPO / "cookiecutter.json").read_text(encoding="utf-8"))["project_name"]
    code = "import sys, local_extensions; print(local_extensions.ascii_slug(sys.argv[1]))"
    return subprocess.run(
        [str(tool_python), "-c", code, name], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()


def first_commit(project):
    """A git repository whose first commit is the untouched bake, so that later changes show as the project's own."""
    git = ["git"]
    try:
        if subprocess.run(["git", "config", "user.email"], cwd=project, capture_output=True).returncode:
            # No identity configured yet: the commit still gets made, under a name that says where it came from.
            git += ["-c", "user.name=quickstart", "-c", "user.email=quickstart@localhost"]
        subprocess.run(["git", "init", "--quiet", str(project)], check=True)
        subprocess.run([*git, "add", "--all"], cwd=project, check=True)
        subprocess.run([*git, "commit", "--quiet", "-m", "Baked from the template"], cwd=project, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"      no git repository ({error}): make one before changing anything (README, 'Updating').")


def main(arguments):
    options = parse_arguments(arguments)
    output_dir = options.output_dir.resolve()
    with step(1, f"Cookiecutter, in {shown(REPO / '.venv')}"):
        tool_python = tooling_python()
    existing = options.project or (None if options.ask else output_dir / default_slug(tool_python))
    if existing and existing.exists():
        if not (existing / "manage.py").exists():
            sys.exit(f"{shown(existing)} already exists and is not a baked project: move it, or use --output-dir.")
        print(f"[2/{STEPS}] Reusing {shown(existing)} (delete it to bake anew, or use --output-dir).", flush=True)
        project = existing.resolve()
    elif options.project:
        sys.exit(f"{shown(existing)} does not exist.")
    else:
        with step(2, f"Baking a project into {shown(output_dir)}, its first commit the untouched bake"):
            try:
                project = bake(output_dir, ask=options.ask)
            except BakeFailed as error:
                sys.exit(f"{error}\nThe project was not created (see the message above).")
            first_commit(project)
    with step(3, f"Installing its development requirements into {shown(project / '.venv')}"):
        python = ensure_venv(project / ".venv", [project / "requirements" / "dev.txt"], pip_args=["--require-hashes"])
    manage = [str(python), "manage.py"]
    with step(4, "Migrating the SQLite database, adding a superuser and example data"):
        subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=project, check=True)
        subprocess.run([*manage, "dev_setup"], cwd=project, check=True)
    print(
        f"\nReady: {shown(project)}\n"
        f"  serve it again:   {PYTHON} tools/quickstart.py --project {shown(project)}\n"
        f"  or, in it:        cd {shown(project)} and {PYTHON} tasks.py serve  (tests: {PYTHON} tasks.py test)\n"
        f"  its handbook:     {shown(project / 'README.md')}",
        flush=True,
    )
    if options.no_server:
        return 0
    print(f"\nServing on http://127.0.0.1:{options.port}/ (Ctrl+C stops it).", flush=True)
    try:
        return subprocess.run([*manage, "runserver_plus", f"127.0.0.1:{options.port}"], cwd=project).returncode
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
