"""The documents list at 10,000, 100,000 and 1,000,000 rows on PostgreSQL.

    python -m benchmarks.lists [--sizes 10000 100000 1000000] [--requests 15]     (from the repository's root)

Bakes the project with Unpoly, runs a throwaway PostgreSQL cluster on 127.0.0.1 (as the postgres system
user when run as root) made like the development one (ICU collation, UTF-8 character type), migrates,
then grows the documents table size by size (tools/in_project/lists_seed.py) and times each list request
in-process (tools/in_project/lists_measure.py, test settings). Prints, per size and request, the median and
95th percentile, the queries and the bytes, then how page 1 grew; writes benchmarks/results/lists.md
(or --output).
Needs initdb (Debian's postgresql package); about 3 minutes with the default sizes.
"""

import argparse
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from tools import postgres
from tools.bake import IN_PROJECT, bake, shared_python

REPO = Path(__file__).resolve().parent.parent


def use_cluster(project, cluster):
    password = secrets.token_urlsafe(16)
    cluster.create_role_and_database("intranet", password)
    database = {"ENGINE": "django.db.backends.postgresql", "NAME": "intranet", "USER": "intranet"}
    database.update(PASSWORD=password, HOST="127.0.0.1", PORT=str(cluster.port))
    with open(project / "intranet" / "settings" / "local.py", "a", encoding="utf-8") as local:
        local.write(f"\nDATABASES = {{'default': {database!r}}}\n")


@contextmanager
def migrated_project(answers):
    """(project, python): a project baked with ``answers``, migrated on a throwaway PostgreSQL cluster."""
    initdb = next((Path(folder) / "initdb" for folder in postgres.POSTGRES_BIN_DIRS), None)
    if initdb is None:
        sys.exit("initdb not found: apt-get install postgresql")
    with tempfile.TemporaryDirectory() as directory, postgres.postgres_cluster(initdb.parent) as cluster:
        project, python = bake(directory, answers), shared_python()
        use_cluster(project, cluster)
        run(python, project, "manage.py", "migrate", "--no-input", "-v0")
        yield project, python


def write_report(text, output):
    print(text)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)


def run(python, project, *arguments):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "intranet.settings.test", "PYTHONPATH": str(project)}
    command = [python, *map(str, arguments)]
    result = subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"{' '.join(map(str, arguments))[:80]} failed:\n{result.stderr}")
    return result.stdout


def summarize(measured):
    rows = {}
    for name, case in measured.items():
        samples = sorted(sample * 1000 for sample in case["samples"])
        p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
        rows[name] = {"median": statistics.median(samples), "p95": p95, **{k: case[k] for k in ("queries", "bytes")}}
    return rows


def report(results, requests):
    lines = [
        f"Documents list on PostgreSQL, in-process test client, test settings, Unpoly on; {requests} requests per"
        f" case after 3 to warm up; Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs.",
    ]
    for size, rows in results.items():
        lines += ["", f"{size:,} documents:", "", "| request | median (ms) | p95 (ms) | queries | bytes |"]
        lines.append("|---|---|---|---|---|")
        for name, row in rows.items():
            lines.append(f"| {name} | {row['median']:.1f} | {row['p95']:.1f} | {row['queries']} | {row['bytes']:,} |")
    sizes = list(results)
    first, last = results[sizes[0]], results[sizes[-1]]
    growth = last["list, page 1"]["median"] / first["list, page 1"]["median"]
    same_queries = all(len({results[size][name]["queries"] for size in sizes}) == 1 for name in first)
    page, table = last["title filter, a word (~4 % of rows)"], last["title filter, table only (Unpoly)"]
    lines += [
        "",
        f"Page 1 from {sizes[0]:,} to {sizes[-1]:,} rows: {growth:.2f}x the median.",
        f"Query counts {'are the same' if same_queries else 'differ'} at every size.",
        f"Unpoly's table-only answer to a title filter at {sizes[-1]:,} rows: {table['bytes'] / page['bytes']:.2f}x"
        f" the bytes and {table['median'] / page['median']:.2f}x the time of the whole page.",
    ]
    return "\n".join(lines) + "\n"


def main(arguments):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--requests", type=int, default=15, help="timed requests per case and size")
    parser.add_argument("--output", type=Path, default=REPO / "benchmarks" / "results" / "lists.md")
    options = parser.parse_args(arguments)
    results = {}
    with migrated_project({"use_unpoly": True}) as (project, python):
        for size in sorted(options.sizes):
            run(python, project, IN_PROJECT / "lists_seed.py", size)
            measured = json.loads(run(python, project, IN_PROJECT / "lists_measure.py", options.requests))
            results[size] = summarize(measured)
            print(f"{size:,} documents measured", file=sys.stderr)
    write_report(report(results, options.requests), options.output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
