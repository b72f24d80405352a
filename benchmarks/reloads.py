"""What users notice of a reload, a deploy and a rollback: failed requests and the longest wait.

    python -m benchmarks.reloads [--readers 3] [--posters 1]     (from the repository's root; ~5 min)

Bakes the default project into a git repository and deploys it with its own deploy/release.py into a
server folder on a PostgreSQL cluster, served as deploy/ says (gunicorn behind nginx, HTTPS on loopback).
Throughout each case, --readers logged-in clients read the home page and the documents list and --posters
create documents with a file, each request after the last (tools/release_server.Load). Cases:
  idle                  nothing happens: the waits of the load alone
  before: reload        the reload the template made before (a HUP, its gunicorn config without preload_app):
                        new workers import the project while the old ones already stop
  before: deploy        python3 tasks.py deploy of a version adding a column with db_default (docs/deploy.md),
                        with that config: release.py reloads a master started without preload_app by a HUP
  now: reload           systemctl reload (a USR2): a new master loads the project, then stops the old one
  now: deploy           the same deploy with the project's config
  now: deploy that fails   a version whose home page fails on the release's own socket: never switched to
  now: rollback         python3 tasks.py rollback to the version before
The two sites are deployed from two copies of one bake; the "before" one has a commit that turns preload_app
off and drops the config's reload hooks.
For each: the requests that overlapped it, those that failed, and the longest and 99th-percentile waits.
Needs nginx, openssl, git and PostgreSQL's initdb. Results go to stdout and benchmarks/results/reloads.md.
"""

import argparse
import os
import platform
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tools import postgres, release_server
from tools.bake import bake, shared_python
from tools.release_server import commit, git

REPO = Path(__file__).resolve().parent.parent
IDLE_SECONDS = 8
RELOAD_SECONDS = 3
SETTLE_SECONDS = 2


def version_whose_home_page_fails(repository):
    commit(
        repository,
        "Version 3: a home page that fails",
        {
            "templates/home.html": lambda text: text.replace(
                "{% block content %}\n", "{% block content %}\n{% url 'x' %}"
            )
        },
    )


def measure(load, action):
    """Run ``action`` under the load: (its outcome, the figures of the requests that overlapped it)."""
    load.wait_for(reads=20, posts=5)
    started = time.monotonic()
    outcome = action()
    finished = time.monotonic() + SETTLE_SECONDS
    time.sleep(SETTLE_SECONDS)
    during = load.during(started, finished)
    waits = sorted(end - start for start, end, _, _ in during)
    failed = [answer for answer in during if answer in load.failed()]
    return outcome, {
        "seconds": finished - SETTLE_SECONDS - started,
        "requests": len(during),
        "posts": sum(1 for answer in during if answer in load.posts),
        "failed": len(failed),
        "worst": waits[-1] if waits else 0.0,
        "p99": statistics.quantiles(waits, n=100)[98] if len(waits) > 1 else 0.0,
    }


def reload_by(run_dir, number):
    def reload():
        os.kill(int((run_dir / "gunicorn.pid").read_text()), number)
        time.sleep(RELOAD_SECONDS)
        return "-"

    return reload


def main(arguments):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=3)
    parser.add_argument("--posters", type=int, default=1)
    options = parser.parse_args(arguments)
    tools = {name: shutil.which(name) for name in ("nginx", "openssl", "git", "python3")}
    initdb = next((Path(d) / "initdb" for d in postgres.POSTGRES_BIN_DIRS if (Path(d) / "initdb").exists()), None)
    if None in tools.values() or initdb is None:
        sys.exit(f"needs nginx, openssl, git, python3 and initdb: {tools}, initdb={initdb}")
    results = {}
    with tempfile.TemporaryDirectory(prefix="reloads-") as directory:
        directory = Path(directory)
        baked = bake(directory / "bake", {"include_documents_app": True})
        upload = directory / "upload.bin"
        upload.write_bytes(os.urandom(1024 * 1024))
        for site in ("before", "now"):
            repository = shutil.copytree(baked, directory / site / baked.name)
            git(repository, "init", "--quiet", "--initial-branch=main")
            git(repository, "add", "--all")
            git(repository, "commit", "--quiet", "--message", "Version 1")
            if site == "before":
                commit(repository, "gunicorn as before", {"deploy/gunicorn.conf.py": config_before})
            (directory / site / "srv").mkdir()
            with release_server.served(
                repository,
                directory / site / "srv",
                nginx=tools["nginx"],
                python3=tools["python3"],
                pg_bin_dir=initdb.parent,
                mails=directory / site,
                upload=upload,
            ) as up:
                server = up.server
                first_category = f"from {up.slug}.documents.models import Category; print(Category.objects.first().pk)"
                category = server.manage("shell", "-c", first_category).stdout.split()[-1]
                declaration = 'models.CharField(_("reference"), max_length=20, blank=True, db_default="")'
                release_server.add_a_reference_to_documents(repository, shared_python(), declaration, "Version 2")
                with release_server.Load(up, category, options.readers, options.posters) as load:
                    for name, action in cases(site, server, repository):
                        outcome, results[name] = measure(load, action)
                        results[name]["outcome"] = outcome
                        print(name, results[name], flush=True)
    report = render(results, options)
    print(report)
    (REPO / "benchmarks" / "results").mkdir(exist_ok=True)
    (REPO / "benchmarks" / "results" / "reloads.md").write_text(report)


def config_before(text):
    """The gunicorn config as the template had it before: no preload_app, no reload hooks."""
    return text.replace("\npreload_app = True\n", "\npreload_app = False\n") + "del pre_exec, when_ready\n"


def cases(site, server, repository):
    if site == "before":
        return [
            ("idle", lambda: time.sleep(IDLE_SECONDS) or "-"),
            ("before: reload (HUP)", reload_by(server.run_dir, signal.SIGHUP)),
            ("before: deploy, migration", lambda: server.deploy().returncode),
        ]
    return [
        ("now: reload (USR2)", reload_by(server.run_dir, signal.SIGUSR2)),
        ("now: deploy, migration", lambda: server.deploy().returncode),
        ("now: deploy that fails", lambda: deploy_that_fails(server, repository)),
        ("now: rollback", lambda: server.deploy(task="rollback").returncode),
    ]


def deploy_that_fails(server, repository):
    version_whose_home_page_fails(repository)
    try:
        return server.deploy().returncode
    finally:
        git(repository, "reset", "--quiet", "--hard", "HEAD~1")


def render(results, options):
    lines = [
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"{options.readers} readers and {options.posters} posters, logged in, through nginx",
        "",
        "| case | exit code | seconds | requests during it | of them POSTs | failed | worst wait | p99 wait |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['outcome']} | {r['seconds']:.1f} | {r['requests']} | {r['posts']} | {r['failed']} | "
            f"{r['worst']:.2f} s | {r['p99']:.2f} s |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main(sys.argv[1:])
