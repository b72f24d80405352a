"""The list of a table imported from Access at a million rows, beside the documents list at a million, on
PostgreSQL, in one run.

    python -m benchmarks.access_lists [--rows 1000000] [--requests 15]     (from the repository's root)

Bakes the project with use_access_import, runs a throwaway PostgreSQL cluster on 127.0.0.1 (as
benchmarks.lists does), grows the documents table (tools/in_project/lists_seed.py), exports
tests/data/access/merchant_taylors.mdb, makes its app with access_startapp, fills its table with Greek
rows (tools/in_project/access_lists_seed.py) and times both lists in-process, case after case
(tools/in_project/access_lists_measure.py). Writes benchmarks/results/access_lists.md (or --output), with
each Access case's median as a ratio of the documents list's page 1, and the plan of the "contains" filter.
Needs initdb and mdbtools; about 5 minutes.
"""

import argparse
import json
import os
import platform
import sys
from pathlib import Path

from benchmarks.lists import migrated_project, run, summarize, write_report
from tools.bake import IN_PROJECT

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "tests" / "data" / "access" / "merchant_taylors.mdb"
APP, MODEL = "registry", "MerchantTaylors"


def report(rows, requests, results, plans):
    baseline = results["documents: page 1"]["median"]
    lines = [
        f"{rows:,} documents and {rows:,} rows of the Access table merchant_taylors (Greek text) on PostgreSQL,"
        f" in-process test client, test settings; {requests} requests per case after 3 to warm up, case after"
        f" case; Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs.",
        "",
        "| request | median (ms) | p95 (ms) | / documents page 1 | queries | bytes |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in results.items():
        lines.append(
            f"| {name} | {row['median']:.1f} | {row['p95']:.1f} | {row['median'] / baseline:.2f}x |"
            f" {row['queries']} | {row['bytes']:,} |"
        )
    for text, plan in plans.items():
        heading = f'The Access list\'s "contains" filter for {text!r}, as PostgreSQL runs it:'
        lines += ["", heading, "", "```", *plan, "```"]
    return "\n".join(lines) + "\n"


def main(arguments):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=15, help="timed requests per case")
    parser.add_argument("--output", type=Path, default=REPO / "benchmarks" / "results" / "access_lists.md")
    options = parser.parse_args(arguments)
    with migrated_project({"use_access_import": True}) as (project, python):
        run(python, project, IN_PROJECT / "lists_seed.py", options.rows)
        folder = project / "access" / APP
        run(python, project, "manage.py", "access_export", "--drop-unreadable-dates", SAMPLE, folder)
        run(python, project, "manage.py", "access_startapp", APP, folder)
        run(python, project, "manage.py", "migrate", "--no-input", "-v0")
        run(python, project, IN_PROJECT / "access_lists_seed.py", APP, MODEL, options.rows)
        print("seeded", file=sys.stderr)
        output = json.loads(run(python, project, IN_PROJECT / "access_lists_measure.py", options.requests, APP, MODEL))
    results = summarize(output["measured"])
    write_report(report(options.rows, options.requests, results, output["plans"]), options.output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
