"""What the change history costs a save: documents saved with and without it, on PostgreSQL.

    python -m benchmarks.history [--saves 500] [--rounds 5]     (from the repository's root)

Bakes the project, runs a throwaway PostgreSQL cluster on 127.0.0.1 (as benchmarks.lists does), seeds
1,000 documents (tools/in_project/lists_seed.py) and saves them in turns with and without the history
(tools/in_project/history_measure.py). Writes benchmarks/results/history.md (or --output). About a minute.
"""

import argparse
import json
import os
import platform
import statistics
import sys
from pathlib import Path

from benchmarks.lists import migrated_project, run, write_report
from tools.bake import IN_PROJECT

REPO = Path(__file__).resolve().parent.parent


def report(measured, saves, rounds):
    medians = {name: statistics.median(samples) * 1000 for name, samples in measured.items()}
    baseline = medians["without history"]
    lines = [
        f"Saving a document (one changed title, as its owner) on PostgreSQL, in-process; {rounds} rounds of {saves}"
        f" saves each, in turns; Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs.",
        "",
        "| save | median per save (ms) | / without history |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {median:.2f} | {median / baseline:.2f}x |" for name, median in medians.items()]
    return "\n".join(lines) + "\n"


def main(arguments):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--output", type=Path, default=REPO / "benchmarks" / "results" / "history.md")
    options = parser.parse_args(arguments)
    with migrated_project({}) as (project, python):
        run(python, project, IN_PROJECT / "lists_seed.py", max(1000, options.saves))
        arguments = [options.saves, options.rounds]
        measured = json.loads(run(python, project, IN_PROJECT / "history_measure.py", *arguments))
    write_report(report(measured, options.saves, options.rounds), options.output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
