"""How long access_import takes for 100,000 rows on PostgreSQL, beside the seed article's row-by-row loop.

    python -m benchmarks.access_import [--rows 100000] [--row-by-row 10000]     (from the repository's root)

Bakes the project with use_access_import, runs a throwaway PostgreSQL cluster on 127.0.0.1 (as
benchmarks.lists does), exports tests/data/access/merchant_taylors.mdb (a real-world table of 12 columns)
with mdbtools, makes its app, and repeats its 20 rows (with new keys) to --rows. Times, each a whole
``manage.py`` run: the first import (all new), the same import again (all unchanged), an import where 1 % of
the rows changed, and the seed's loop (one ``objects.create()`` per row) on --row-by-row rows. Writes
benchmarks/results/access_import.md (or --output). About two minutes.
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

from benchmarks.lists import migrated_project, run, write_report
from tools.bake import IN_PROJECT

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "tests" / "data" / "access" / "merchant_taylors.mdb"


def repeat_rows(sample, data_file, count, changed_every=None):
    """Writes ``count`` rows made of the sample's, keyed 1..count; every ``changed_every``-th gets a new surname."""
    with data_file.open("w", encoding="utf-8") as output:
        for key in range(1, count + 1):
            row = {**sample[key % len(sample)], "Id No": key}
            if changed_every and key % changed_every == 0:
                row["Surname"] = row.get("Surname", "") + " (changed)"
            output.write(json.dumps(row, ensure_ascii=False) + "\n")


def timed(python, project, *arguments):
    start = time.perf_counter()
    run(python, project, *arguments)
    return time.perf_counter() - start


def report(rows, row_by_row, measured):
    per_row = {name: seconds / count * 1e6 for name, (seconds, count) in measured.items()}
    baseline = per_row["first import"]
    lines = [
        f"Importing the 12-column merchant_taylors table of tests/data/access, its 20 rows repeated to {rows:,} "
        f"(the seed's loop: {row_by_row:,}), into PostgreSQL; each a whole manage.py run; Python "
        f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs.",
        "",
        "| run | rows | seconds | µs per row | / first import, per row |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, (seconds, count) in measured.items():
        lines.append(f"| {name} | {count:,} | {seconds:.1f} | {per_row[name]:.0f} | {per_row[name] / baseline:.2f}x |")
    return "\n".join(lines) + "\n"


def main(arguments):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--row-by-row", type=int, default=10_000)
    parser.add_argument("--output", type=Path, default=REPO / "benchmarks" / "results" / "access_import.md")
    options = parser.parse_args(arguments)
    answers = {"use_access_import": True, "include_documents_app": False}
    with migrated_project(answers) as (project, python):
        folder = project / "access" / "merchants"
        run(python, project, "manage.py", "access_export", "--drop-unreadable-dates", SAMPLE, folder)
        run(python, project, "manage.py", "access_startapp", "merchants", folder)
        run(python, project, "manage.py", "migrate", "-v0")
        data_file = folder / "data" / "merchant_taylors.jsonl"
        sample = [json.loads(line) for line in data_file.read_text(encoding="utf-8").splitlines()]
        repeat_rows(sample, data_file, options.rows)
        command = ["manage.py", "access_import", "merchants", folder]
        measured = {"first import": (timed(python, project, *command), options.rows)}
        measured["the same again"] = (timed(python, project, *command), options.rows)
        repeat_rows(sample, data_file, options.rows, changed_every=100)
        measured["1 % of rows changed"] = (timed(python, project, *command), options.rows)
        repeat_rows(sample, data_file, options.rows, changed_every=1)
        measured["every row changed"] = (timed(python, project, *command), options.rows)
        run(python, project, "manage.py", "flush", "--no-input")
        script = IN_PROJECT / "access_row_by_row.py"
        seconds = float(run(python, project, script, "merchants", folder, options.row_by_row))
        measured["the seed's loop: create() per row"] = (seconds, options.row_by_row)
    write_report(report(options.rows, options.row_by_row, measured), options.output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
