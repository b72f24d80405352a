"""What django-debug-toolbar costs a development request, hidden and shown.

    python -m benchmarks.toolbar [--rounds 6] [--requests 30]     (from the repository's root)

Bakes the default project, migrates it (dev settings, SQLite) and gives a logged-in user a
documents list with a full page of 25 rows. Then it times that page in-process (django.test.Client,
no network) under three settings, taking turns round by round so drift hits all three alike:
  bare    the dev settings without the toolbar (not in INSTALLED_APPS, MIDDLEWARE or the URLs)
  hidden  the dev settings as shipped: toolbar installed, switched off
  shown   the same with DEBUG_TOOLBAR=1
Prints the median latency of each and its ratio to bare; writes benchmarks/results/toolbar.md.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.bake import IN_PROJECT, bake, shared_python

REPO = Path(__file__).resolve().parent.parent

ROWS = 25
CASES = {
    "bare": ("intranet.settings.bare", {}),
    "hidden": ("intranet.settings.dev", {"DEBUG_TOOLBAR": "0"}),
    "shown": ("intranet.settings.dev", {"DEBUG_TOOLBAR": "1"}),
}


def set_up_project(directory):
    project, python = bake(directory), shared_python()
    shutil.copy(IN_PROJECT / "bare_settings.py", project / "intranet" / "settings" / "bare.py")
    run(python, project, "intranet.settings.dev", {}, "manage.py", "migrate", "--no-input", "-v0")
    run(python, project, "intranet.settings.dev", {}, IN_PROJECT / "toolbar_setup.py", str(ROWS))
    return project, python


def run(python, project, settings, env, *arguments):
    # The scripts in tools/in_project/ import the project's package like manage.py does.
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, "PYTHONPATH": str(project), **env}
    result = subprocess.run(
        [python, *arguments], cwd=project, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"{' '.join(map(str, arguments))[:80]} failed:\n{result.stderr}")
    return result.stdout


def measure(project, python, rounds, requests):
    samples = {name: [] for name in CASES}
    for _ in range(rounds):
        for name, (settings, env) in CASES.items():
            result = json.loads(run(python, project, settings, env, IN_PROJECT / "toolbar_measure.py", str(requests)))
            if result["toolbar"] != (name == "shown"):
                sys.exit(f"{name}: the toolbar was {'shown' if result['toolbar'] else 'hidden'}, against the setup")
            samples[name] += result["samples"]
    return {name: statistics.median(values) * 1000 for name, values in samples.items()}


def report(medians, rounds, requests):
    lines = [
        f"Documents list, {ROWS} rows, logged in; dev settings, SQLite, in-process test client; "
        f"{rounds} rounds x {requests} requests per case; {platform.python_version()}, {platform.machine()}.",
        "",
        "| case | median (ms) | ratio to bare |",
        "|---|---|---|",
    ]
    lines += [f"| {name} | {value:.2f} | {value / medians['bare']:.2f} |" for name, value in medians.items()]
    return "\n".join(lines) + "\n"


def main(arguments):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per case and round")
    options = parser.parse_args(arguments)
    with tempfile.TemporaryDirectory() as directory:
        project, python = set_up_project(directory)
        medians = measure(project, python, options.rounds, options.requests)
    text = report(medians, options.rounds, options.requests)
    print(text)
    results = REPO / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "toolbar.md").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
