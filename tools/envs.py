"""A virtualenv kept up to date with a set of requirement files (shared by the tools and the tests)."""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def venv_python(path):
    return Path(path) / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def requirement_files_with_includes(requirement_files):
    """The files and, recursively, the ones they include with -r, so a change in any of them counts."""
    pending, seen = [Path(path) for path in requirement_files], []
    while pending:
        path = pending.pop(0)
        if path in seen:
            continue
        seen.append(path)
        for line in path.read_text(encoding="utf-8").splitlines():
            option, _, included = line.strip().partition(" ")
            if option in ("-r", "--requirement"):
                pending.append(path.parent / included.strip())
    return seen


def ensure_venv(path, requirement_files, *, pip_args=(), quiet=True):
    """Create ``path`` if needed and install the requirements, unless they are unchanged since last time."""
    path = Path(path)
    python = venv_python(path)
    digest = hashlib.sha256(sys.version.encode())
    for requirement in requirement_files_with_includes(requirement_files):
        digest.update(requirement.read_bytes())
    digest.update(" ".join(pip_args).encode())
    stamp = path / "requirements.sha256"
    if python.exists() and stamp.exists() and stamp.read_text() == digest.hexdigest():
        return python
    if not python.exists():
        venv.create(path, with_pip=True)
    command = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
    if quiet:
        command.append("--quiet")
    for requirement in requirement_files:
        command += ["-r", str(requirement)]
    subprocess.run([*command, *pip_args], check=True)
    stamp.write_text(digest.hexdigest())
    return python
