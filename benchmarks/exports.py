"""Downloading the documents list as .csv and .xlsx at 100,000 rows on PostgreSQL.

    python -m benchmarks.exports [--size 100000] [--requests 3]     (from the repository's root)

Bakes the project, runs a throwaway PostgreSQL cluster on 127.0.0.1 (as benchmarks.lists does), seeds the
documents table (tools/in_project/lists_seed.py) and times, in-process with the test client, the list's
first page beside the CSV and Excel downloads of every row (tools/in_project/exports_measure.py).
Writes benchmarks/results/exports.md (or --output). About 2 minutes.
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


def report(size, measured, requests):
    lines = [
        f"{size:,} documents on PostgreSQL, in-process test client, test settings; {requests} timed requests per case"
        f" after one to count; Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs.",
        "",
        "| request | rows | bytes | median (s) | / list page 1 | peak Python memory (MB) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    page = statistics.median(measured["list, page 1 (HTML)"]["samples"])
    for name, case in measured.items():
        median = statistics.median(case["samples"])
        lines.append(
            f"| {name} | {case['rows']:,} | {case['bytes']:,} | {median:.2f} | {median / page:.0f}x |"
            f" {case['peak_mb']:.1f} |"
        )
    return "\n".join(lines) + "\n"


def main(arguments):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=3, help="timed requests per case")
    parser.add_argument("--output", type=Path, default=REPO / "benchmarks" / "results" / "exports.md")
    options = parser.parse_args(arguments)
    with migrated_project({}) as (project, python):
        run(python, project, IN_PROJECT / "lists_seed.py", options.size)
        measured = json.loads(run(python, project, IN_PROJECT / "exports_measure.py", options.requests))
    write_report(report(options.size, measured, options.requests), options.output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
