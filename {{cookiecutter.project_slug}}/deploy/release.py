"""python tasks.py deploy [REF]: a new release on the server, with nothing dropped and a way back.

On the server, as the project's user:
    python3 /srv/{{ cookiecutter.project_slug }}/current/tasks.py deploy [REF]
From a developer's machine (Windows too):
    python tasks.py deploy [REF] --ssh {{ cookiecutter.project_slug }}@SERVER
(this file is sent over SSH to the server's python3: the server needs no checkout of its own).

    /srv/{{ cookiecutter.project_slug }}/
        repository.git/      a mirror of the project's repository (the first deploy names it: --repository URL)
        releases/<time>-<commit>/   the code of one deploy, with links to local.py, media/ and backups/
        venvs/<hash>/        one virtualenv per lock (requirements/prod.txt), shared by the releases that have it
        current              the release that serves (a link, switched at once)
        local.py, media/, backups/   this host's settings and data, the same for every release

Each step must succeed before the next: among them Django's check --deploy, every template compiled,
gunicorn loading the release's config and application as its reload will, and, after the migrations, the
release answering /health/ and DEPLOY_SMOKE_URLS on a gunicorn of its own. Until the switch, the running site
is untouched (only the backup and the migrations reach the database: migrations must suit the running code
too, see docs/deploy.md). After the switch, gunicorn reloads gracefully and /health/ must answer "ok"; if it
does not, the previous release serves again. A failure after the migrations says how to restore the database
backup taken before them.
The newest releases (--keep, at least 2) stay for such a switch back.

Standard library only: it runs before any virtualenv exists.
"""

import argparse
import hashlib
import html
import http.client
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE = Path("/srv/{{ cookiecutter.project_slug }}")
RUN_DIR = Path("/run/{{ cookiecutter.project_slug }}")
PACKAGE = "{{ cookiecutter.project_slug }}"
NAME = {{ cookiecutter.project_name | py_str }}
LANGUAGE = "{{ cookiecutter.language_code }}"
SHARED = {"local.py": f"{PACKAGE}/settings/local.py", "media": "media", "backups": "backups"}
# The project's folder and media: its user's and its group's (nginx reads them); backups: its user's alone.
MODES = {".": 0o750, "media": 0o750, "backups": 0o700}
# <date>-<time>-<commit>, and -2, -3... for another deploy of that commit in the same second.
RELEASE_NAME = re.compile(r"\d{8}-\d{6}-[0-9a-f]{10}(-\d+)?")
# collectstatic's content-hashed names (ManifestStaticFilesStorage): safe to share between releases.
HASHED_STATIC = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")

# The maintenance page: the site's language, Greek or English.
MAINTENANCE_TEXT = {
    "el": ("Εργασίες συντήρησης", "Ο ιστότοπος είναι κλειστός για λίγο, για συντήρηση. Δοκιμάστε ξανά σύντομα."),
    "en": ("Down for maintenance", "The site is down for maintenance for a short while. Please try again soon."),
}
MAINTENANCE_PAGE = """<!doctype html>
<html lang="{language}">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: {name}</title>
<main style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
<h1>{title}</h1>
<p>{text}</p>
{message}
</main>
"""

# The units of a scheduled job (SCHEDULED_JOBS), in the project user's ~/.config/systemd/user.
JOB_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
JOB_SERVICE = """# Written by deploy/release.py from SCHEDULED_JOBS at each deploy: change the setting, not this file.
[Unit]
Description={project}: scheduled job {name}

[Service]
Type=oneshot
WorkingDirectory={base}/current
Environment=DJANGO_SETTINGS_MODULE={settings}
ExecStart={base}/current/.venv/bin/python manage.py run_job {name}
# Backups hold every secret of the site: what a job writes is the project user's alone.
UMask=0077
"""
JOB_TIMER = """# Written by deploy/release.py from SCHEDULED_JOBS at each deploy: change the setting, not this file.
[Unit]
Description={project}: when scheduled job {name} runs

[Timer]
OnCalendar={calendar}
# Several projects on one server do not all start at once.
RandomizedDelaySec=10min
# A run missed while the server was off is made up for at the next boot.
Persistent=true

[Install]
WantedBy=timers.target
"""


class DeployError(Exception):
    """A step failed; the message says which and what it printed."""


def main(arguments):
    options = parse(arguments)
    if getattr(options, "hosts", None) or getattr(options, "hosts_file", None):
        return on_each_host(options, arguments)
    if options.ssh:
        return over_ssh(options.ssh, arguments)
    if os.name == "nt":
        print(f"{options.task}: this runs on the Linux server: add --ssh USER@HOST", file=sys.stderr)
        return 2
    if not options.base.is_dir():
        message = f"{options.base} does not exist: make it as docs/deploy.md's server steps say (adduser)"
        print(f"{options.task}: {message}", file=sys.stderr)
        return 1
    if options.task == "maintenance":  # never waits for a deploy: it may be what the page is for
        return maintenance(options)
    started = time.monotonic()
    try:
        with deploy_lock(options.base):
            code = deploy(options) if options.task == "deploy" else rollback(options)
    except DeployError as error:
        print(f"{options.task}: {error}", file=sys.stderr)
        code = 1
    outcome = "finished" if code == 0 else "failed"
    seconds = time.monotonic() - started
    print(f"{options.task.capitalize()} {outcome} in {seconds:.0f} s.")
    record(options, outcome, seconds)
    return code


def record(options, outcome, seconds):
    """A line in the host's deploys.log for each deploy and rollback: when, what was asked, how it ended,
    which release serves since, and from where (the deployer's address when it came over SSH)."""
    given = options.ref if options.task == "deploy" else options.to
    asked = "the release before" if given is None else repr(given)  # repr: as given, never a line of its own
    current = options.base / "current"
    serving = current.resolve().name if current.exists() else "none"
    origin = os.environ.get("SSH_CLIENT", "this host").split()[0]
    line = f"{time.strftime('%Y-%m-%dT%H:%M:%S%z')} {options.task} {asked}: {outcome} in {seconds:.0f} s, "
    line += f"{serving} serves (from {origin})\n"
    descriptor = os.open(options.base / "deploys.log", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    with open(descriptor, "a", encoding="utf-8") as log:
        log.write(line)


def parse(arguments):
    host = argparse.ArgumentParser(add_help=False)
    host.add_argument("--ssh", metavar="USER@HOST", help="on that server, over SSH")
    host.add_argument("--settings", default="prod", choices=["prod", "uat"], help="the host's environment")
    host.add_argument("--base", type=Path, default=BASE, help=f"the project's folder (default {BASE})")
    host.add_argument("--run-dir", type=Path, default=RUN_DIR, help=f"gunicorn's pid and socket (default {RUN_DIR})")
    several = argparse.ArgumentParser(add_help=False)
    hosts = several.add_mutually_exclusive_group()
    hosts.add_argument("--hosts", metavar="USER@HOST,...", help="on these servers, one after the other, over SSH")
    hosts.add_argument("--hosts-file", type=Path, metavar="FILE", help="the same, the servers one a line in FILE")
    parser = argparse.ArgumentParser(prog="python tasks.py")
    tasks = parser.add_subparsers(dest="task", required=True)
    deploy = tasks.add_parser("deploy", parents=[host, several], description="Deploy a git ref as a new release.")
    deploy.add_argument("ref", nargs="?", default="HEAD", help="branch, tag or commit (default: the default branch)")
    deploy.add_argument("--repository", metavar="URL", help="the first deploy: where to mirror the repository from")
    deploy.add_argument("--keep", type=int, default=5, help="releases to keep (at least 2, default 5)")
    deploy.add_argument(
        "--no-jobs", dest="jobs", action="store_false", help="another host runs SCHEDULED_JOBS: none here"
    )
    back = tasks.add_parser(
        "rollback", parents=[host, several], description="Serve the release before the current one again."
    )
    back.add_argument("--to", metavar="RELEASE", help="that release (a folder name in releases/) instead")
    page = tasks.add_parser("maintenance", parents=[host], description="nginx's maintenance page, on or off.")
    page.add_argument("state", choices=["on", "off"])
    page.add_argument("--message", default="", help="a line for the page, e.g. when the site is back")
    options = parser.parse_args(arguments)
    if options.task == "deploy" and options.keep < 2:
        deploy.error("--keep must be at least 2: the running release and the new one")
    return options


def over_ssh(destination, arguments):
    """Run this file on the server: its python3 reads it from standard input, with the other arguments.

    ssh hands the server's shell one line: each argument is quoted, so a branch named x;id>proof stays a name.
    """
    if destination.startswith("-") or not destination:
        print(f"deploy: --ssh {destination!r} is not USER@HOST", file=sys.stderr)
        return 2
    with open(__file__, "rb") as script:
        remote = shlex.join(["python3", "-", *without(arguments, "--ssh")])
        return subprocess.run(["ssh", destination, remote], stdin=script).returncode


def on_each_host(options, arguments):
    """The task on each server in turn, over SSH; the first that fails stops it, the others left as they are.
    Reloads lose no request (deploy/gunicorn.conf.py), so a host serves on while it deploys. The scheduled
    jobs run on the first host alone."""
    if options.hosts_file:
        lines = options.hosts_file.read_text(encoding="utf-8").splitlines()
        hosts = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    else:
        hosts = [host.strip() for host in options.hosts.split(",")]
    if not hosts or any(not host or host.startswith("-") for host in hosts):
        print(f"{options.task}: the hosts must be USER@HOST, one or more: {hosts}", file=sys.stderr)
        return 2
    rest = without(arguments, "--hosts", "--hosts-file")
    for number, host in enumerate(hosts):
        step(f"{options.task} on {host} ({number + 1} of {len(hosts)})")
        jobs = ["--no-jobs"] if options.task == "deploy" and number > 0 and "--no-jobs" not in rest else []
        if code := over_ssh(host, [*rest, *jobs]):
            untouched = ", ".join(hosts[number + 1 :]) or "none"
            print(
                f"{options.task}: {host} failed: the hosts after it were left as they are ({untouched})",
                file=sys.stderr,
            )
            return code
    return 0


def without(arguments, *options):
    """``arguments`` without each of ``options`` and its value (--name VALUE or --name=VALUE)."""
    remaining, skip = [], False
    for argument in arguments:
        if not skip and argument not in options and not argument.startswith(tuple(f"{o}=" for o in options)):
            remaining.append(argument)
        skip = argument in options
    return remaining


class deploy_lock:
    """One deploy at a time on a server."""

    def __init__(self, base):
        self.path = Path(base) / "deploy.lock"

    def __enter__(self):
        import fcntl  # the server is Linux; from Windows, deploy with --ssh

        self.file = open(self.path, "w")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DeployError(f"another deploy is running ({self.path} is locked)") from None

    def __exit__(self, *exception):
        self.file.close()


def deploy(options):
    base = options.base.resolve()
    base.chmod(MODES["."])  # adduser makes a home every account can read
    settings = f"{PACKAGE}.settings.{options.settings}"
    previous = (base / "current").resolve() if (base / "current").exists() else None
    reloadable(options.run_dir, previous)  # a site that is down now is not this deploy's to hide
    commit = fetch(base, options.ref, options.repository)
    release = new_release_folder(base, commit)
    step(f"Release {release.name} ({options.ref})")
    try:
        export(base, commit, release)
        refuse_links_out_of(release)
        link_shared(base, release)
        make_virtualenv(base, release)
        if previous:
            share_hashed_static(previous, release)
        manage(release, settings, "collectstatic", "--no-input")
        manage(release, settings, "compilemessages", "--ignore", ".venv")
        # With the database: the migrations not yet applied must suit the running release too (core.W011).
        manage(release, settings, "check", "--deploy", "--database", "default", "--fail-level", "WARNING")
        manage(release, settings, "compile_templates")
        # gunicorn reads its config again at the reload, through current: one that fails to load would stop it.
        check_gunicorn_config(release, settings)
        jobs = scheduled_jobs(release, settings) if options.jobs else {}
        # What each new worker does first (with the middleware): an error here would stop gunicorn.
        manage(release, settings, "shell", "--verbosity", "0", "-c", f"import {PACKAGE}.wsgi")
        # The database alone, before the migrations: the nightly backups have the media. The database is the
        # one the host's local.py names, for this release as for the running one.
        backup = manage(release, settings, "backup", "--deploy").strip().splitlines()[-1] if previous else None
    except BaseException:
        shutil.rmtree(release, ignore_errors=True)
        raise
    try:
        manage(release, settings, "migrate", "--no-input")
        manage(release, settings, "createcachetable")
        check_on_its_own_socket(release, settings)
    except DeployError as error:
        shutil.rmtree(release, ignore_errors=True)
        raise DeployError(f"{error}\n{restore_advice(previous, settings, backup)}") from None
    switch(base, release)
    try:
        reloaded = reload(options.run_dir, release, serving=previous)
    except DeployError as error:
        if previous:
            switch(base, previous)
        raise DeployError(
            f"{error}\ncurrent is {(base / 'current').resolve().name} again: start gunicorn (systemctl start "
            f"{PACKAGE}).\n{restore_advice(previous, settings, backup)}"
        ) from None
    if not reloaded:
        step(f"{release.name} is current. gunicorn is not running: start it (systemctl start {PACKAGE}).")
        install_jobs(base, settings, jobs)
        return 0
    if healthy(options.run_dir, release, settings):
        step(f"{release.name} serves and is healthy.")
        prune(base, options.keep, previous)
        install_jobs(base, settings, jobs)
        return 0
    if not previous:
        print(f"deploy: {release.name} is not healthy (see the journal).", file=sys.stderr)
        return 1
    print(f"deploy: {release.name} is not healthy (see the journal): back to {previous.name}.", file=sys.stderr)
    switch(base, previous)
    reload(options.run_dir, previous, serving=release)
    shutil.rmtree(release)  # never one to roll back to
    print(restore_advice(previous, settings, backup), file=sys.stderr)
    return 1


def rollback(options):
    """Serve the release before the current one (or --to) again: a switch and a reload, seconds, nothing
    rebuilt. The database stays as the newer release's migrations left it: they suit the older release
    if they were written as docs/deploy.md says."""
    base = options.base.resolve()
    serving = (base / "current").resolve()
    reloadable(options.run_dir, serving)
    releases = sorted(path for path in (base / "releases").iterdir() if RELEASE_NAME.fullmatch(path.name))
    if options.to is not None:
        if options.to not in {release.name for release in releases}:
            names = ", ".join(release.name for release in releases)
            raise DeployError(f"no release {options.to!r} in {base / 'releases'}: {names}")
        target = base / "releases" / options.to
    else:
        older = [release for release in releases if release.name < serving.name]
        if not older:
            raise DeployError(f"no release before {serving.name} to go back to")
        target = older[-1]
    if target == serving:
        raise DeployError(f"{target.name} is the current release already")
    step(f"Rollback from {serving.name} to {target.name}")
    switch(base, target)
    try:
        reloaded = reload(options.run_dir, target, serving=serving)
    except DeployError as error:
        switch(base, serving)
        raise DeployError(f"{error}\ncurrent is {serving.name} again.") from None
    if reloaded and not healthy(options.run_dir, target, f"{PACKAGE}.settings.{options.settings}"):
        switch(base, serving)
        reload(options.run_dir, serving, serving=target)
        raise DeployError(f"{target.name} is not healthy (see the journal): {serving.name} serves again.")
    step(f"{target.name} serves{'' if reloaded else ' once gunicorn starts'}.")
    return 0


def maintenance(options):
    """The page nginx answers every request with, 503 and all, while the file exists (deploy/nginx-locations.conf):
    the site is down on purpose. Releases are checked on their own sockets, so deploys work meanwhile."""
    page = options.base.resolve() / "maintenance.html"
    if options.state == "off":
        page.unlink(missing_ok=True)
        step("The maintenance page is off: the site serves.")
        return 0
    language = "el" if LANGUAGE.startswith("el") else "en"
    title, text = MAINTENANCE_TEXT[language]
    message = f"<p>{html.escape(options.message)}</p>" if options.message else ""
    draft = page.with_name("maintenance.html.new")
    draft.write_text(
        MAINTENANCE_PAGE.format(language=language, name=html.escape(NAME), title=title, text=text, message=message),
        encoding="utf-8",
    )
    draft.chmod(0o640)  # the project's group: nginx
    os.replace(draft, page)
    step("The maintenance page is on: every request gets it until `python3 tasks.py maintenance off`.")
    return 0


def step(message):
    print(f"==> {message}", flush=True)


def run(*command, cwd=None, env=None):
    """A command that must succeed; its output is returned, or shown in the error."""
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8"
    )
    if result.returncode != 0:
        raise DeployError(f"{' '.join(map(str, command))} failed:\n{result.stdout}{result.stderr}".rstrip())
    return result.stdout


def fetch(base, ref, repository):
    mirror = base / "repository.git"
    if not mirror.exists():
        if not repository:
            raise DeployError(f"{mirror} does not exist: name the repository once with --repository URL")
        step(f"Mirroring {repository}")
        run("git", "clone", "--quiet", "--mirror", repository, mirror)
    else:
        step("Fetching")
        run("git", "--git-dir", mirror, "remote", "update", "--prune")
    return run("git", "--git-dir", mirror, "rev-parse", "--verify", ref + "^{commit}").strip()


def new_release_folder(base, commit):
    name = folder = f"{time.strftime('%Y%m%d-%H%M%S')}-{commit[:10]}"
    number = 1
    while (base / "releases" / folder).exists():
        number += 1
        folder = f"{name}-{number}"
    return base / "releases" / folder


def export(base, commit, release):
    release.mkdir(parents=True)
    mirror = str(base / "repository.git")
    archive = subprocess.Popen(["git", "--git-dir", mirror, "archive", commit], stdout=subprocess.PIPE)
    extracted = subprocess.run(["tar", "-x", "-C", str(release)], stdin=archive.stdout)
    archive.stdout.close()
    if archive.wait() or extracted.returncode:
        raise DeployError(f"exporting {commit} into {release} failed")


def refuse_links_out_of(release):
    """git keeps symbolic links: one that leads out of the release (to local.py, /etc/passwd) would be collected
    as a static file and served to anyone."""
    leaving = [
        path.relative_to(release).as_posix()
        for path in release.rglob("*")
        if path.is_symlink() and not Path(os.path.realpath(path)).is_relative_to(release)
    ]
    if leaving:
        raise DeployError(f"the commit has links that lead out of the release: {', '.join(sorted(leaving))}")


def link_shared(base, release):
    """This host's settings and data: one copy, outside the releases, linked into each."""
    for shared, place in SHARED.items():
        target = base / shared
        if shared == "local.py" and not target.exists():
            raise DeployError(f"{target} is missing: copy {PACKAGE}/settings/local.py.template there and fill it in")
        if shared != "local.py":
            target.mkdir(exist_ok=True)
            target.chmod(MODES[shared])
        (release / place).symlink_to(target)


def make_virtualenv(base, release):
    """The release's .venv: the virtualenv of the servers' lock, made once for each lock and Python. pip checks
    every file against the lock's hashes and refuses a package the lock does not pin, before anything switches."""
    lock = release / "requirements" / "prod.txt"
    digest = hashlib.sha256(sys.version.encode() + lock.read_bytes())
    venv = base / "venvs" / f"prod-{digest.hexdigest()[:16]}"
    complete = venv / "installed"
    if not complete.exists():
        step(f"Installing requirements/prod.txt (the lock) into {venv}")
        shutil.rmtree(venv, ignore_errors=True)
        run(sys.executable, "-m", "venv", venv)
        pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        run(*pip, "--require-hashes", "-r", lock)
        complete.touch()
    (release / ".venv").symlink_to(venv)


def share_hashed_static(previous, release):
    """The previous release's content-hashed static files, linked: pages it rendered just before the
    switch still find theirs. collectstatic adds this release's files and manifest."""
    for source in (previous / "collected_static").rglob("*"):
        if source.is_file() and HASHED_STATIC.search(source.name):
            target = release / "collected_static" / source.relative_to(previous / "collected_static")
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(source, target)


def environment_of(settings):
    """This process's environment, with the host's settings module for Django."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": settings}


def manage(release, settings, *arguments):
    step(f"manage.py {' '.join(arguments)}")
    return run(
        release / ".venv" / "bin" / "python", "manage.py", *arguments, cwd=release, env=environment_of(settings)
    )


def check_gunicorn_config(release, settings):
    """gunicorn loads the release's config and its application, as a reload would, and binds nothing."""
    step("gunicorn --check-config")
    check = ["-m", "gunicorn", "--check-config", "--config", "deploy/gunicorn.conf.py"]
    run(release / ".venv" / "bin" / "python", *check, cwd=release, env=environment_of(settings))


def switch(base, release):
    """Point current at ``release`` in one step: a new link renamed over the old one."""
    link = base / "current.new"
    link.unlink(missing_ok=True)
    link.symlink_to(release.relative_to(base))
    os.replace(link, base / "current")


def gunicorn_master(run_dir):
    """The pid of gunicorn's master, or None where it never ran (no pid file: the first deploy)."""
    pid_file = run_dir / "gunicorn.pid"
    master = pid_in(pid_file)
    if master is None:
        return None
    if not is_running(master):
        raise DeployError(
            f"{pid_file} names {master}, which is not running: the site is down. Start gunicorn "
            f"(systemctl start {PACKAGE}; the journal says why it stopped), then deploy."
        )
    return master


def pid_in(pid_file):
    try:
        return int(pid_file.read_text())
    except (FileNotFoundError, ValueError):  # none, or being written
        return None


def is_running(pid):
    """Whether the process runs: a zombie (one that exited, its parent not told yet) does not."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def by_a_new_master(serving):
    """Whether the master, started with ``serving``'s config, reloads by a new master (USR2)."""
    config = serving / "deploy" / "gunicorn.conf.py" if serving else None
    return not config or re.search(r"^preload_app = True$", config.read_text(encoding="utf-8"), re.M) is not None


def reloadable(run_dir, serving):
    """Before anything changes: gunicorn runs (or never ran here), and systemd, if it runs it, lets the new
    master of a reload take over: a unit without NotifyAccess=all would stop the site when the old one exits."""
    master = gunicorn_master(run_dir)
    if master is None or not by_a_new_master(serving):
        return
    try:
        shown = subprocess.run(
            ["systemctl", "show", "--property", "MainPID,NotifyAccess", PACKAGE],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):  # no systemd here
        return
    unit = dict(line.split("=", 1) for line in shown.splitlines() if "=" in line)
    if unit.get("MainPID") == str(master) and unit.get("NotifyAccess") != "all":
        raise DeployError(
            f"systemd's {PACKAGE}.service is older than its gunicorn config: as root, install deploy/"
            f"{PACKAGE}.service again, then systemctl daemon-reload (docs/update.md, 'The servers after an update')"
        )


def reload(run_dir, release, serving=None, timeout=90):
    """USR2 to gunicorn's master, as systemctl reload sends it: a new master starts in ``release`` (through
    current), loads the project, forks its workers and stops the old master, whose workers finish the requests
    they hold (deploy/gunicorn.conf.py). Returns False when gunicorn never ran here; waits until the new master
    alone serves, all its workers in ``release``.

    A master started with the config of a release before this way of reloading (``serving``'s, without
    preload_app) cannot start a new master: it gets a HUP, which makes it read the new config.
    """
    master = gunicorn_master(run_dir)
    if master is None:
        return False
    handing_over = by_a_new_master(serving)
    os.kill(master, signal.SIGUSR2 if handing_over else signal.SIGHUP)
    step(f"Reloading gunicorn ({master})")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # The new master writes gunicorn.pid.2, and renames it gunicorn.pid once the old one stopped.
        successor = pid_in(run_dir / "gunicorn.pid")
        took_over = successor != master and not is_running(master) if handing_over else successor == master
        if successor and is_running(successor) and took_over:
            workers = worker_folders(successor)
            if workers and all(folder == release for folder in workers):
                return True
        elif not is_running(master) and not is_running(pid_in(run_dir / "gunicorn.pid.2") or master):
            raise DeployError(f"gunicorn stopped during the reload into {release.name} (see the journal)")
        time.sleep(0.2)
    raise DeployError(f"gunicorn's workers did not all start in {release.name} within {timeout} s")


def worker_folders(master):
    """The folder each of gunicorn's workers runs in (gunicorn changes into the current release), or None when
    the master is gone."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except FileNotFoundError:
        return None
    folders = []
    for child in children:
        try:
            folders.append(Path(os.readlink(f"/proc/{child}/cwd")))
        except FileNotFoundError:  # a worker that just stopped
            continue
    return folders


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=10)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(self.timeout)
        self.sock.connect(str(self.path))


def site_host_and_smoke_urls(release, settings):
    """The host name requests must carry (ALLOWED_HOSTS' first), the release's DEPLOY_SMOKE_URLS, and whether
    they are asked as DEPLOY_SMOKE_USER."""
    code = "from django.conf import settings as s; print(s.ALLOWED_HOSTS[0]); print(*s.DEPLOY_SMOKE_URLS)"
    code += "; print(bool(s.DEPLOY_SMOKE_USER))"
    host, urls, as_user = manage(release, settings, "shell", "--verbosity", "0", "-c", code).splitlines()[-3:]
    return host.lstrip(".").replace("*", "localhost"), urls.split(), as_user == "True"


def ask(socket_path, host, path, cookie=None):
    """(status, body) of a GET of ``path`` through gunicorn's socket, as nginx would ask it; (None, error)."""
    connection = UnixHTTPConnection(socket_path)
    headers = {"Host": host, "X-Forwarded-Proto": "https", **({"Cookie": cookie} if cookie else {})}
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException) as error:
        return None, str(error).encode()
    finally:
        connection.close()


def check_on_its_own_socket(release, settings, timeout=60):
    """The release, served by a gunicorn of its own beside the running one, answers /health/ "ok" and each of
    DEPLOY_SMOKE_URLS without an error before any user reaches it (as DEPLOY_SMOKE_USER, with a session made for
    it and deleted after): a page that fails stops the deploy here."""
    host, urls, as_user = site_host_and_smoke_urls(release, settings)
    cookie = None
    if as_user:
        name, value = manage(release, settings, "smoke_session").split()[-2:]
        cookie = f"{name}={value}"
    step(f"gunicorn of the release on a socket of its own: /health/ {' '.join(urls)}{' logged in' * as_user}")
    folder = Path(tempfile.mkdtemp(prefix="release-check-"))
    socket_path, log = folder / "gunicorn.sock", release / "release-check.log"
    command = [release / ".venv" / "bin" / "python", "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"]
    command += ["--bind", f"unix:{socket_path}", "--workers", "1", "--pid", folder / "gunicorn.pid"]
    with open(log, "wb") as output:
        process = subprocess.Popen(
            list(map(str, command)), cwd=release, env=environment_of(settings), stdout=output, stderr=output
        )
    try:
        deadline = time.monotonic() + timeout
        while not socket_path.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        answers = {path: ask(socket_path, host, path, cookie) for path in ["/health/", *urls]}
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)
        if cookie:
            manage(release, settings, "smoke_session", "--end", value)
    failed = [
        f"{path}: {status or body.decode(errors='replace')}"
        for path, (status, body) in answers.items()
        if status is None or status >= 400 or (path == "/health/" and body != b"ok\n")
    ]
    if failed:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        raise DeployError(
            f"the release fails on its own socket ({', '.join(failed)}); its log:\n" + "\n".join(lines[-40:])
        )


def healthy(run_dir, release, settings, attempts=10):
    """/health/ through gunicorn's socket, as nginx would ask it, "ok" a few times in a row."""
    host, _, _ = site_host_and_smoke_urls(release, settings)
    answers = []
    for _ in range(attempts):
        answers.append(ask(run_dir / "gunicorn.sock", host, "/health/"))
        time.sleep(0.2)
    step(f"/health/: {', '.join(str(status) for status, _ in answers)}")
    return all(answer == (200, b"ok\n") for answer in answers[-3:])


def scheduled_jobs(release, settings):
    """SCHEDULED_JOBS of the release, {name: calendar}, each fit to be a unit's name and a line of it."""
    code = "import json; from django.conf import settings as s; print(json.dumps(s.SCHEDULED_JOBS))"
    jobs = json.loads(manage(release, settings, "shell", "--verbosity", "0", "-c", code).splitlines()[-1])
    try:
        calendars = {name: calendar for name, (_command, calendar) in jobs.items()}
    except (TypeError, ValueError):
        raise DeployError("SCHEDULED_JOBS: each job is (the command and its arguments, a calendar)") from None
    for name, calendar in calendars.items():
        if not JOB_NAME.fullmatch(name) or not isinstance(calendar, str) or not calendar.isprintable():
            raise DeployError(f"SCHEDULED_JOBS: {name!r} (lowercase letters, digits, -) at {calendar!r} is no timer")
    return calendars


def install_jobs(base, settings, jobs):
    """Each job as a timer of the project user's own systemd (its lingering user manager: docs/deploy.md), running
    manage.py run_job in the current release; the timers of jobs no longer there, or of a --no-jobs host, go."""
    step(f"Scheduled jobs: {', '.join(jobs) or 'none on this host'}")
    units = base / ".config" / "systemd" / "user"
    units.mkdir(parents=True, exist_ok=True)
    prefix = f"{PACKAGE}-job-"
    stale = [timer for timer in units.glob(f"{prefix}*.timer") if timer.stem.removeprefix(prefix) not in jobs]
    for name, calendar in jobs.items():
        values = {"name": name, "project": NAME.replace("%", "%%"), "base": base, "settings": settings}
        (units / f"{prefix}{name}.service").write_text(JOB_SERVICE.format(**values), encoding="utf-8")
        (units / f"{prefix}{name}.timer").write_text(JOB_TIMER.format(calendar=calendar, **values), encoding="utf-8")
    try:
        for timer in stale:
            run("systemctl", "--user", "disable", "--now", timer.name)
            timer.unlink()
            timer.with_suffix(".service").unlink(missing_ok=True)
        run("systemctl", "--user", "daemon-reload")
        if jobs:
            run("systemctl", "--user", "enable", "--now", *(f"{prefix}{name}.timer" for name in jobs))
    except DeployError as error:
        raise DeployError(
            f"the release serves, but its scheduled jobs are not installed (does the project user's systemd "
            f"run? loginctl enable-linger {PACKAGE}, docs/deploy.md): {error}"
        ) from None


def restore_advice(previous, settings, backup):
    if not backup:
        return "No backup was taken (no release served before this one)."
    return (
        f"This release's migrations may have run. If {previous.name} cannot work with the database as they left it,\n"
        f"restore the database backup taken before them (it replaces the database, saving it first):\n"
        f"    cd {previous.parent.parent / 'current'} && DJANGO_SETTINGS_MODULE={settings} "
        f".venv/bin/python manage.py restore deploys/{Path(backup).name} --replace"
    )


def prune(base, keep, previous):
    """Delete all but the newest ``keep`` releases (never the current or the previous one), then unused virtualenvs."""
    releases = sorted(path for path in (base / "releases").iterdir() if RELEASE_NAME.fullmatch(path.name))
    for release in releases[:-keep]:
        if release not in {(base / "current").resolve(), previous}:
            shutil.rmtree(release)
    used = {(release / ".venv").resolve() for release in (base / "releases").iterdir()}
    for venv in (base / "venvs").iterdir():
        if venv not in used:
            shutil.rmtree(venv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
