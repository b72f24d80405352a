"""Baking the template: the one way the tests, tools/quickstart.py and the benchmarks make a project.

bake() runs Cookiecutter from the template's own virtualenv (.venv). shared_python() is the virtualenv
the tests and benchmarks run baked projects in (.cache/baked-venv): it holds the requirements of every
option at once, so one install serves every combination.
"""

import contextlib
import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

from option_rule import OPTIONS
from tools.envs import REPO, ensure_venv

SHARED_VENV = REPO / ".cache" / "baked-venv"
# Scripts a baked project's Python runs (with the project's package importable): test data, measurements.
IN_PROJECT = Path(__file__).resolve().parent / "in_project"


class BakeFailed(Exception):
    """Cookiecutter refused the answers or failed; the message is what it printed."""


def tooling_python():
    return ensure_venv(REPO / ".venv", [REPO / "requirements.txt"])


def baking_python():
    """A Python with Cookiecutter: this one if it has it, else a small virtualenv of Cookiecutter alone."""
    if importlib.util.find_spec("cookiecutter"):
        return Path(sys.executable)
    return ensure_venv(REPO / ".cache" / "cookiecutter-venv", [REPO / "tools" / "cookiecutter.txt"])


def answer_text(value):
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)


def bake(output_dir, answers=None, *, ask=False):
    """Bake into ``output_dir`` with ``answers`` (the rest default, or asked if ``ask``); the new project's folder."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    before = set(output_dir.iterdir())
    command = [tooling_python(), "-m", "cookiecutter", REPO, "--output-dir", output_dir]
    if not ask:
        command.append("--no-input")
    command += [f"{name}={answer_text(value)}" for name, value in (answers or {}).items()]
    # Asked questions go to the terminal; otherwise the bake's "next steps" are kept for the error only.
    output = None if ask else subprocess.PIPE
    result = subprocess.run(list(map(str, command)), stdout=output, stderr=output, text=True, encoding="utf-8")
    if result.returncode:
        raise BakeFailed(f"{result.stdout or ''}{result.stderr or ''}".strip())
    (created,) = set(output_dir.iterdir()) - before
    return created


def one_at_a_time(lock_path):
    """A lock between the tests' parallel workers; a benchmark run from another Python has no rivals."""
    try:
        from filelock import FileLock  # in the template's virtualenv (requirements.txt)
    except ImportError:
        return contextlib.nullcontext()
    return FileLock(lock_path)


def shared_python():
    """The Python of .cache/baked-venv, installed from an every-option bake's lock when it changed."""
    SHARED_VENV.parent.mkdir(exist_ok=True)
    with one_at_a_time(f"{SHARED_VENV}.lock"), tempfile.TemporaryDirectory() as directory:
        requirements = bake(directory, dict.fromkeys(OPTIONS, True)) / "requirements"
        # The development lock holds the servers' lock too (dev.in includes prod.in).
        return ensure_venv(SHARED_VENV, [requirements / "dev.txt"], pip_args=["--require-hashes"])
