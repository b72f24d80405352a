"""Benchmarks of baked projects; run them from the repository's root as modules (see README.md)."""

import subprocess
from pathlib import Path

from tools.envs import ensure_venv

REPO = Path(__file__).resolve().parent.parent


def bake_project(directory, *answers):
    """Bake the template into ``directory`` (answers as "key=value"); the project's folder and the Python of
    the test suite's shared virtualenv with the project's requirements."""
    tooling = ensure_venv(REPO / ".venv", [REPO / "requirements.txt"])
    command = [tooling, "-m", "cookiecutter", "--no-input", "--output-dir", directory, REPO, *answers]
    subprocess.run(command, check=True, capture_output=True)
    project = Path(directory) / "intranet"
    requirements = project / "requirements"
    python = ensure_venv(REPO / ".cache" / "baked-venv", [requirements / "dev.txt", requirements / "prod.txt"])
    return project, python
