"""The generated deploy/ files, run for real: PostgreSQL, gunicorn and nginx on loopback, over HTTPS.

A baked project (with the documents app) in a git repository is deployed by its own
deploy/release.py into a server folder (the /srv/<slug> of the README), on PostgreSQL, then served
by gunicorn with deploy/gunicorn.conf.py behind nginx with deploy/nginx-site.conf and its included
locations, changed only in paths, ports and certificate (see nginx.NginxSite). The last tests deploy
later versions into the running site, in order.
"""

import configparser
import hashlib
import http.client
import importlib.util
import json
import os
import re
import shutil
import signal
import ssl
import stat
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from packaging.markers import Marker

from tools import http_client, nginx, postgres, release_server
from tools.release_server import PASSWORD, git

pytestmark = pytest.mark.integration


def run_git(project_dir, *arguments):
    return subprocess.run(["git", *arguments], cwd=project_dir, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def deployed(need, bake, tmp_path_factory):
    nginx = need("nginx")
    need("openssl")
    need("git")
    initdb = need("initdb", *postgres.POSTGRES_BIN_DIRS)
    # With background tasks: their worker's unit is judged beside the site's.
    repository = bake(include_documents_app=True, use_tasks=True)
    git(repository, "init", "--quiet", "--initial-branch=main")
    git(repository, "add", "--all")
    git(repository, "commit", "--quiet", "--message", "Version 1")
    source = tmp_path_factory.mktemp("upload") / "payslip.bin"
    source.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    with release_server.served(
        repository,
        tmp_path_factory.mktemp("srv"),
        nginx=nginx,
        python3=need("python3"),
        pg_bin_dir=Path(initdb).parent,
        mails=tmp_path_factory.mktemp("mails"),
        upload=source,
    ) as served:
        assert "gunicorn is not running" in served.first.stdout
        public = served.server.base / "media" / "logos"
        public.mkdir(parents=True)
        (public / "logo.txt").write_text("a public upload\n")
        (public / "page.html").write_text("<script>alert(document.cookie)</script>\n")
        (public / "drawing.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n'
        )
        (public / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        served.content = source.read_bytes()
        yield served


def logged_in(deployed, username):
    client = deployed.deployment.client()
    client.log_in(username, PASSWORD)
    return client


def test_nginx_t_accepts_the_generated_files(deployed):
    passed, output = nginx.nginx_test(deployed.nginx, deployed.deployment.directory / "nginx.conf")
    assert passed, output
    assert "syntax is ok" in output
    site = (deployed.deployment.directory / "site.conf").read_text()
    assert f"include {deployed.deployment.directory / 'locations.conf'};" in site


def test_plain_http_is_redirected_to_https_on_the_configured_name(deployed):
    client = http_client.Client(
        "127.0.0.1", deployed.deployment.site.http_port, https=False, server_name=deployed.domain
    )
    response = client.get("/documents/?page=2")
    assert response.status == 301
    assert response.headers["Location"] == f"https://{deployed.domain}/documents/?page=2"
    assert response.headers["Server"] == "nginx"


@pytest.mark.parametrize("https", [True, False], ids=["https", "http"])
def test_requests_for_other_host_names_get_no_answer(deployed, https):
    """nginx-default.conf: a forged Host header or a scanner's IP address reaches no site, not even a redirect."""
    site = deployed.deployment.site
    client = http_client.Client("127.0.0.1", site.https_port if https else site.http_port, https=https)
    with pytest.raises((ConnectionError, ssl.SSLError, http.client.RemoteDisconnected)):
        client.get("/", headers={"Host": "forged.example"})


def test_home_page_comes_through_nginx_and_gunicorn(deployed):
    response = deployed.deployment.client().get("/")
    assert response.status == 200
    assert "<title>Home" in response.text
    # server_tokens off: no version for scanners to match against.
    assert response.headers["Server"] == "nginx"
    # Django saw HTTPS (X-Forwarded-Proto from nginx), or prod.py would redirect and send no HSTS.
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_hashed_static_files_are_cached_for_a_year_and_others_are_not(deployed):
    collected = deployed.server.current / "collected_static" / "css"
    (hashed,) = list(collected.glob("site.*.css"))
    client = deployed.deployment.client()
    response = client.get(f"/static_{deployed.slug}/css/{hashed.name}")
    assert response.status == 200
    assert response.body == hashed.read_bytes()
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Type"] == "text/css"
    for unhashed in ("css/site.css", "staticfiles.json"):
        response = client.get(f"/static_{deployed.slug}/{unhashed}")
        assert response.status == 200
        assert response.headers["Cache-Control"] is None


def test_public_media_is_served_by_nginx(deployed):
    response = deployed.deployment.client().get(f"/media_{deployed.slug}/logos/logo.txt")
    assert response.status == 200
    assert response.body == b"a public upload\n"


@pytest.mark.parametrize(("name", "inline"), [("page.html", False), ("drawing.svg", False), ("photo.png", True)])
def test_public_media_cannot_run_script_on_the_site(deployed, name, inline):
    response = deployed.deployment.client().get(f"/media_{deployed.slug}/logos/{name}")
    assert response.status == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert (response.headers["Content-Disposition"] == "attachment") != inline


def test_password_reset_links_name_the_site_whatever_port_the_client_sent(deployed):
    deployed.server.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model as u; "
        "u().objects.filter(username='alice').update(email='alice@example.com')",
    )
    site = f"https://{deployed.domain}:{deployed.deployment.site.https_port}"
    for host in (f"{deployed.domain}:{deployed.deployment.site.https_port}", f"{deployed.domain}:4444"):
        client = deployed.deployment.client()
        client.get("/accounts/password_reset/", headers={"Host": host})
        client.request(
            "POST",
            "/accounts/password_reset/",
            body=f"csrfmiddlewaretoken={client.cookies['csrftoken'].value}&email=alice%40example.com",
            headers={
                "Host": host,
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"https://{host}/accounts/password_reset/",
            },
        )
    links = [
        line
        for mail in deployed.mails.iterdir()
        for line in mail.read_text().splitlines()
        if "/accounts/reset/" in line
    ]
    assert links, "no password reset mail was sent"
    assert all(link.startswith(f"{site}/accounts/reset/") for link in links), links


def test_gunicorn_socket_is_not_open_to_every_local_user(deployed):
    mode = stat.S_IMODE(deployed.deployment.site.socket_path.stat().st_mode)
    assert mode & 0o007 == 0, oct(mode)


def log_lines(path, marker, count=1):
    """The lines of a log naming ``marker``; gunicorn writes them just after the client has its response."""
    deadline = time.monotonic() + 10
    while path.read_text().count(marker) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return [line for line in path.read_text().splitlines() if marker in line]


def test_logs_name_the_client_nginx_saw_and_its_request_id(deployed):
    deployed.deployment.client().get("/audit-probe/", headers={"X-Forwarded-For": "203.0.113.66"})
    lines = log_lines(deployed.deployment.directory / "gunicorn.log", "audit-probe", count=2)
    (django,) = [line for line in lines if line.startswith("WARNING ")]
    (access,) = [line for line in lines if line != django]
    assert access.startswith("127.0.0.1 ")
    assert "203.0.113.66" not in access
    # nginx's request id ends gunicorn's access line and is in Django's line of the same request.
    request_id = access.split()[-1]
    assert re.fullmatch("[0-9a-f]{32}", request_id)
    assert django == f"WARNING django.request client=127.0.0.1 request={request_id} Not Found: /audit-probe/"


def test_health_answers_ok_through_nginx_and_stays_out_of_the_access_logs(deployed):
    client = deployed.deployment.client()
    assert client.get("/health/?probe-health").body == b"ok\n"
    client.get("/?probe-after-health")
    directory = deployed.deployment.directory
    assert log_lines(directory / "gunicorn.log", "probe-after-health")
    assert log_lines(directory / "access.log", "probe-after-health")
    assert "probe-health" not in (directory / "gunicorn.log").read_text()
    assert "probe-health" not in (directory / "access.log").read_text()


def test_owner_downloads_the_exact_bytes_sent_by_nginx(deployed):
    client = logged_in(deployed, "alice")
    response = client.get(f"/documents/{deployed.document_pk}/download/")
    assert response.status == 200
    assert response.body == deployed.content
    assert response.headers["X-Accel-Redirect"] is None
    assert response.headers["Content-Disposition"] == 'attachment; filename="misthodosia-2026.bin"'
    # The users' bytes, never sniffed into a page or script of the site's origin.
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_gunicorn_itself_answers_with_an_empty_x_accel_redirect(deployed):
    """The bytes above came from nginx: Django only named the file."""
    client = logged_in(deployed, "alice")
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    response = http_client.unix_socket_get(
        deployed.deployment.site.socket_path,
        f"/documents/{deployed.document_pk}/download/",
        {"Host": "127.0.0.1", "Cookie": cookie, "X-Forwarded-Proto": "https"},
    )
    assert response.status == 200
    assert response.body == b""
    assert response.headers["X-Accel-Redirect"] == f"/media_{deployed.slug}/{deployed.stored_name}"


def test_other_users_and_anonymous_visitors_get_nothing(deployed):
    download = f"/documents/{deployed.document_pk}/download/"
    response = logged_in(deployed, "bob").get(download)
    assert response.status == 404
    assert deployed.content[:64] not in response.body
    response = deployed.deployment.client().get(download)
    assert response.status == 302
    assert response.headers["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "path",
    [
        "/media_{slug}/{name}",
        "/media_{slug}//{name}",
        "/media_{slug}/x/../{name}",
        "/media_{slug}/x/..%2f{name}",
        "/media_{slug}/x/%2e%2e/{name}",
        "/media_{slug}/x/%2E%2E%2F{name}",
        "/media_{slug}/%70rotected/{tail}",
        "/media_{slug}/protected%2f{tail}",
        "/static_{slug}/../media_{slug}/{name}",
        "/static_{slug}/..%2fmedia_{slug}/{name}",
        "/media_{slug}../media/{name}",
    ],
)
def test_protected_files_are_never_served_directly(deployed, path):
    """Even to their owner: only Django's X-Accel-Redirect reaches the internal location."""
    tail = deployed.stored_name.removeprefix("protected/")
    url = path.format(slug=deployed.slug, name=deployed.stored_name, tail=tail)
    response = logged_in(deployed, "alice").get(url)
    assert response.status == 404, url
    assert deployed.content[:64] not in response.body


def systemd_unit(path):
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str
    unit.read_string(path.read_text())
    return unit


def systemd_analyze_verify(systemd_analyze, deployed, *names):
    """systemd's own parser on the units, with the server paths pointing at this machine's files."""
    slug, server = deployed.slug, deployed.server
    adjusted = []
    for name in names:
        path = deployed.deployment.directory / name
        text = (server.current / "deploy" / name).read_text().replace(f"/srv/{slug}", str(server.base))
        path.write_text(text)
        adjusted.append(str(path))
    return subprocess.run([systemd_analyze, "verify", *adjusted], capture_output=True, text=True)


def test_systemd_unit_runs_the_current_release_with_prod_settings(deployed, need):
    systemd_analyze = need("systemd-analyze")
    slug, current = deployed.slug, deployed.server.current
    service = systemd_unit(current / "deploy" / f"{slug}.service")["Service"]
    assert service["Environment"] == f"DJANGO_SETTINGS_MODULE={slug}.settings.prod"
    assert service["WorkingDirectory"] == f"/srv/{slug}/current"
    # Through the link, never resolved: a reload's new workers import the new release's virtualenv.
    assert service["ExecStart"] == (
        f"/srv/{slug}/current/.venv/bin/python -m gunicorn --chdir /srv/{slug}/current"
        f" --config /srv/{slug}/current/deploy/gunicorn.conf.py"
    )
    # A read-only system for the app but its uploads; runtime files under /run, not in the code tree.
    assert service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"] == f"/srv/{slug}/media"
    assert service["NoNewPrivileges"] == "yes"
    assert service["PrivateTmp"] == "yes"
    gunicorn_conf = (current / "deploy" / "gunicorn.conf.py").read_text()
    assert service["ExecReload"] == "/bin/kill -s USR2 $MAINPID"
    assert service["NotifyAccess"] == "all"  # the new master of a reload names itself the main process
    for setting in ("bind", "pidfile"):
        runtime = service["RuntimeDirectory"]
        assert re.search(rf'^{setting} = (\[\s*)?"[^"]*/run/{runtime}/gunicorn\.', gunicorn_conf, re.M)
    result = systemd_analyze_verify(systemd_analyze, deployed, f"{slug}.service")
    assert result.returncode == 0, result.stderr


def test_the_task_worker_runs_the_current_release_and_starts_again_after_a_deploy(deployed, need):
    systemd_analyze = need("systemd-analyze")
    slug, current = deployed.slug, deployed.server.current
    service = systemd_unit(current / "deploy" / f"{slug}-worker.service")["Service"]
    assert service["Environment"] == f"DJANGO_SETTINGS_MODULE={slug}.settings.prod"
    # task_worker stops once the link moves on (background/tests/test_tasks.py); systemd starts it again, there.
    assert service["ExecStart"] == (
        f"/srv/{slug}/current/.venv/bin/python /srv/{slug}/current/manage.py task_worker"
        f" --release-link /srv/{slug}/current"
    )
    assert service["Restart"] == "always"
    assert service["ProtectSystem"] == "strict"
    result = systemd_analyze_verify(systemd_analyze, deployed, f"{slug}-worker.service")
    assert result.returncode == 0, result.stderr


def test_scheduled_jobs_are_timers_of_the_project_user_that_run_the_current_release(deployed, need):
    systemd_analyze = need("systemd-analyze")
    server, slug = deployed.server, deployed.slug
    units = server.base / ".config" / "systemd" / "user"
    # SCHEDULED_JOBS' order
    jobs = ["backup", "clear-sessions", "forget-old-logins", "purge-old-history", "delete-orphan-uploads"]
    timers = [f"{slug}-job-{name}.timer" for name in jobs]
    assert sorted(path.name for path in units.glob("*.timer")) == sorted(timers)
    timer = systemd_unit(units / f"{slug}-job-backup.timer")["Timer"]
    service = systemd_unit(units / f"{slug}-job-backup.service")["Service"]
    assert timer["OnCalendar"] == "*-*-* 02:30:00"
    assert timer["Persistent"] == "true"
    assert service["ExecStart"] == f"{server.base}/current/.venv/bin/python manage.py run_job backup"
    assert service["Environment"] == f"DJANGO_SETTINGS_MODULE={slug}.settings.prod"
    assert service["UMask"] == "0077"
    paths = [str(units / f"{slug}-job-{name}.{kind}") for name in jobs for kind in ("service", "timer")]
    result = subprocess.run([systemd_analyze, "verify", *paths], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"--user enable --now {' '.join(timers)}" in server.systemctl_calls.read_text().splitlines()
    # What the backup's timer runs, as it runs it.
    before = sorted(path.name for path in (server.base / "backups").iterdir())
    result = server.manage("run_job", "backup")
    after = sorted(path.name for path in (server.base / "backups").iterdir())
    assert after == [*before, Path(result.stdout.split()[-1]).name]


def test_a_host_without_jobs_and_a_job_taken_out_lose_their_timers(release_module, tmp_path, monkeypatch):
    stand_ins, calls = tmp_path / "bin", tmp_path / "systemctl.log"
    stand_ins.mkdir()
    (stand_ins / "systemctl").write_text(f'#!/bin/sh\necho "$*" >> {calls}\n')
    (stand_ins / "systemctl").chmod(0o755)
    monkeypatch.setenv("PATH", f"{stand_ins}{os.pathsep}{os.environ['PATH']}")
    units, slug = tmp_path / ".config" / "systemd" / "user", release_module.PACKAGE
    release_module.install_jobs(tmp_path, f"{slug}.settings.prod", {"nightly": "daily", "weekly": "weekly"})
    release_module.install_jobs(tmp_path, f"{slug}.settings.prod", {"nightly": "daily"})
    assert sorted(path.name for path in units.iterdir()) == [
        f"{slug}-job-nightly.service",
        f"{slug}-job-nightly.timer",
    ]
    release_module.install_jobs(tmp_path, f"{slug}.settings.prod", {})
    assert list(units.iterdir()) == []
    assert calls.read_text().splitlines() == [
        "--user daemon-reload",
        f"--user enable --now {slug}-job-nightly.timer {slug}-job-weekly.timer",
        f"--user disable --now {slug}-job-weekly.timer",
        "--user daemon-reload",
        f"--user enable --now {slug}-job-nightly.timer",
        f"--user disable --now {slug}-job-nightly.timer",
        "--user daemon-reload",
    ]


@pytest.mark.parametrize(
    "jobs",
    [
        {"../../escape": (["backup"], "daily")},
        {"nightly": (["backup"], "daily\nExecStartPre=/bin/sh -c id")},
        {"nightly": (["backup"], 3)},
        {"nightly": ["backup"]},
    ],
    ids=["name", "calendar-with-a-line-of-its-own", "calendar-not-text", "no-calendar"],
)
def test_jobs_that_cannot_be_timers_stop_the_deploy_before_the_switch(release_module, monkeypatch, jobs):
    monkeypatch.setattr(release_module, "manage", lambda *arguments: json.dumps(jobs) + "\n")
    with pytest.raises(release_module.DeployError, match="^SCHEDULED_JOBS: "):
        release_module.scheduled_jobs(None, "prod")


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_the_project_folder_and_its_backups_are_closed_to_other_accounts(deployed):
    """Backups hold session keys, two-step secrets and every protected upload; the server may run other projects,
    each with its own user. The deploy's backup and manage.py backup both ran with the usual umask 022."""
    base = deployed.server.base
    deployed.server.manage("backup")
    assert (mode(base), mode(base / "media"), mode(base / "backups")) == (0o750, 0o750, 0o700)
    backups = [path for path in (base / "backups").iterdir() if path.name != "deploys"]
    backups += list((base / "backups" / "deploys").glob("*"))
    assert backups
    for backup in backups:
        assert mode(backup) == 0o700, backup
        inside = list(backup.rglob("*"))
        assert {mode(path) for path in inside if path.is_file()} == {0o600}, backup
        assert {mode(path) for path in inside if path.is_dir()} <= {0o700}, backup


def site_state(deployed):
    """Every row (dumpdata) and the SHA-256 of every media file."""
    rows = deployed.server.manage("dumpdata", "--indent", "1").stdout
    media = deployed.server.base / "media"
    files = {
        path.relative_to(media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in media.rglob("*")
        if path.is_file()
    }
    return rows, files


def test_the_lost_disk_a_backup_restores_every_row_and_file_byte_identical(deployed):
    server = deployed.server
    before = site_state(deployed)
    assert deployed.stored_name in before[1]
    assert '"username": "alice"' in before[0]
    server.manage("backup")
    # The database and the media folder are lost; PostgreSQL gives an empty database again.
    deployed.cluster.psql(f"DROP DATABASE {deployed.slug} WITH (FORCE)")
    deployed.cluster.psql(f"CREATE DATABASE {deployed.slug} OWNER {deployed.slug}")
    shutil.rmtree(server.base / "media")
    (server.base / "media").mkdir()

    result = server.manage("restore", "latest")

    assert "Restored" in result.stdout
    assert site_state(deployed) == before
    # Now the database is in use: a second restore must be told to replace it.
    refused = server.manage("restore", "latest", check=False)
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        "CommandError: The database and media folder are not empty: "
        "restore with --replace to replace them (they are backed up first)."
    ]
    assert site_state(deployed) == before
    assert logged_in(deployed, "alice").get(f"/documents/{deployed.document_pk}/download/").body == deployed.content


def commit(deployed, message, changes):
    release_server.commit(deployed.server.repository, message, changes)


def add_a_reference_to_documents(deployed, baked_python, declaration, message):
    release_server.add_a_reference_to_documents(deployed.server.repository, baked_python, declaration, message)


def deploy_that_fails(deployed, commits=1):
    """Deploy the newest ``commits``, which must fail and leave the site as it was; then take them out of the
    repository again. The deploy's result."""
    server = deployed.server
    serving, releases = server.current.resolve(), sorted((server.base / "releases").iterdir())
    try:
        result = server.deploy()
    finally:
        git(server.repository, "reset", "--quiet", "--hard", f"HEAD~{commits}")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Deploy finished" not in result.stdout
    assert server.current.resolve() == serving
    assert sorted((server.base / "releases").iterdir()) == releases
    return result


def test_a_migration_that_would_fail_the_running_releases_inserts_stops_the_deploy(deployed, baked_python):
    """Django's default= is the migration's only: the release still serving leaves the column out of its INSERTs."""
    server = deployed.server
    backups = sorted((server.base / "backups").iterdir())
    add_a_reference_to_documents(
        deployed, baked_python, 'models.CharField(_("reference"), max_length=20, blank=True, default="")', "Version 2"
    )
    result = deploy_that_fails(deployed, commits=2)
    assert re.search(
        r"\(core\.W011\) Migration documents\.\d{4}_reference adds document\.reference NOT NULL", result.stderr
    )
    assert sorted((server.base / "backups").iterdir()) == backups
    assert "reference" not in server.manage("shell", "-c", COLUMNS_OF_DOCUMENTS).stdout


def test_a_version_with_a_migration_deploys_under_load_without_one_failed_request(deployed, baked_python):
    """Logged-in reads and document uploads through nginx while a release with a migration written as
    docs/deploy.md says (a database default) deploys: no request fails, every saved upload is there once."""
    server = deployed.server
    releases_before = sorted((server.base / "releases").iterdir())
    declaration = 'models.CharField(_("reference"), max_length=20, blank=True, db_default="")'
    add_a_reference_to_documents(deployed, baked_python, declaration, "Version 2")
    with release_server.Load(deployed, first_category(deployed)) as load:
        load.wait_for(reads=50, posts=10)
        started = time.monotonic()
        result = server.deploy()
        finished = time.monotonic()
        load.wait_for(reads=len(load.reads) + 200, posts=len(load.posts) + 20)
    assert result.returncode == 0, result.stdout + result.stderr
    during = load.during(started, finished)
    print(
        f"\ndeploy of version 2: {finished - started:.1f} s, {len(during)} of {len(load.reads) + len(load.posts)} "
        f"requests ({len(load.posts)} uploads) during it; first deploy: {deployed.first.seconds:.1f} s"
    )
    assert len(during) >= 100, len(during)
    assert [answer for answer in during if answer in load.posts], "no upload during the deploy"
    assert load.failed() == []
    assert_saved_once(deployed, load)
    # The new code serves, on the migrated database.
    assert "<p>Version 2</p>" in deployed.deployment.client().get("/").text
    (new_release,) = set((server.base / "releases").iterdir()) - set(releases_before)
    assert server.current.resolve() == new_release
    # The backup was taken before the migration: its schema has no reference column yet. It has no media:
    # those are the nightly backup's.
    backup = newest_backup(server)
    assert sorted(path.name for path in backup.iterdir()) == ["database.dump", "manifest.json"]
    schema = subprocess.run(
        [str(server.pg_bin_dir / "pg_restore"), "--schema-only", "--file=-", str(backup / "database.dump")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "CREATE TABLE public.documents_document" in schema
    assert "reference" not in schema
    columns = server.manage("shell", "-c", COLUMNS_OF_DOCUMENTS).stdout
    assert "reference" in columns


def first_category(deployed):
    return deployed.server.manage("shell", "-c", FIRST_CATEGORY.format(slug=deployed.slug)).stdout.split()[-1]


def assert_saved_once(deployed, load):
    """Every document the load saved (a 302) is in the database once, and none of those it did not."""
    code = TITLES_OF_LOAD_DOCUMENTS.format(slug=deployed.slug)
    saved = deployed.server.manage("shell", "--verbosity", "0", "-c", code).stdout.split()
    posted = {title.split()[1] for _, _, title, _ in load.posts}
    assert sorted(title for title in saved if title in posted) == sorted(
        title.split()[1] for _, _, title, status in load.posts if status == 302
    )


FIRST_CATEGORY = "from {slug}.documents.models import Category; print(Category.objects.order_by('pk')[0].pk)"
TITLES_OF_LOAD_DOCUMENTS = (
    "from {slug}.documents.models import Document; "
    "titles = Document.objects.filter(title__startswith='Load ').values_list('title', flat=True); "
    "print(*(title.split()[1] for title in titles))"
)
COLUMNS_OF_DOCUMENTS = (
    "from django.db import connection as c; "
    "print([column.name for column in c.introspection.get_table_description(c.cursor(), 'documents_document')])"
)


def test_a_rollback_serves_the_release_before_in_seconds_without_one_failed_request(deployed):
    """Version 1 again, on the database version 2 migrated (its column has a database default), under load:
    no request fails; then forward again by name. Neither builds anything."""
    server = deployed.server
    newest = server.current.resolve()
    with release_server.Load(deployed, first_category(deployed)) as load:
        load.wait_for(reads=50, posts=10)
        started = time.monotonic()
        back = server.deploy(task="rollback")
        finished = time.monotonic()
        load.wait_for(reads=len(load.reads) + 100, posts=len(load.posts) + 10)
    assert back.returncode == 0, back.stdout + back.stderr
    print(f"\nrollback: {back.seconds:.1f} s, {len(load.during(started, finished))} requests during it")
    assert load.during(started, finished) and load.failed() == []
    assert_saved_once(deployed, load)
    older = server.current.resolve()
    assert older != newest
    assert "<p>Version 2</p>" not in deployed.deployment.client().get("/").text
    assert "Installing" not in back.stdout and "manage.py migrate" not in back.stdout
    forward = server.deploy("--to", newest.name, task="rollback")
    assert forward.returncode == 0, forward.stdout + forward.stderr
    assert server.current.resolve() == newest
    assert "<p>Version 2</p>" in deployed.deployment.client().get("/").text
    # Each is a line of the host's deploys.log, which other accounts cannot read.
    *_, back_line, forward_line = (server.base / "deploys.log").read_text().splitlines()
    said = rf"\S+ rollback the release before: finished in \d+ s, {older.name} serves \(from \S+\)"
    assert re.fullmatch(said, back_line)
    assert f" rollback {newest.name!r}: finished in " in forward_line
    assert mode(server.base / "deploys.log") & 0o007 == 0


@pytest.mark.parametrize("name", ["../../../etc", "no-such-release", ""])
def test_a_rollback_to_a_release_that_is_not_there_is_one_line(deployed, name):
    serving = deployed.server.current.resolve()
    result = deployed.server.deploy("--to", name, task="rollback")
    assert result.returncode == 1
    assert result.stderr.startswith(f"rollback: no release {name!r} in ")
    assert len(result.stderr.splitlines()) == 1
    logged = (deployed.server.base / "deploys.log").read_text().splitlines()[-1]
    assert f" rollback {name!r}: failed in 0 s, {serving.name} serves" in logged
    assert deployed.server.current.resolve() == serving


def test_the_maintenance_page_answers_every_request_until_it_is_turned_off(deployed):
    server, client = deployed.server, logged_in(deployed, "bob")
    documents = document_count(deployed)
    on = server.deploy("on", "--message", "Back at 14:00 <b>", task="maintenance")
    assert on.returncode == 0, on.stdout + on.stderr
    try:
        page = server.base / "maintenance.html"
        assert stat.S_IMODE(page.stat().st_mode) == 0o640
        for response in (
            client.get("/"),
            client.get("/health/"),
            client.post("/documents/new/", {"title": "In maintenance", "category": first_category(deployed)}),
        ):
            assert response.status == 503
            assert response.headers["Retry-After"] == "300"
            assert "Down for maintenance" in response.text
            assert "<p>Back at 14:00 &lt;b&gt;</p>" in response.text
        assert document_count(deployed) == documents
    finally:
        off = server.deploy("off", task="maintenance")
    assert off.returncode == 0, off.stdout + off.stderr
    assert client.get("/").status == 200
    assert client.get("/maintenance.html").status == 404


def document_count(deployed):
    code = f"from {deployed.slug}.documents.models import Document; print(Document.objects.count())"
    return int(deployed.server.manage("shell", "--verbosity", "0", "-c", code).stdout.split()[-1])


def newest_backup(server):
    """The newest deploy's backup: the database alone, kept apart from the nightly ones."""
    return sorted((server.base / "backups" / "deploys").iterdir())[-1]


def test_an_unhealthy_version_never_reaches_users(deployed):
    """Its /health/ fails on the release's own socket, after the migrations: no switch, and the way back from them."""
    server = deployed.server
    commit(
        deployed,
        "Version 3: uploads go to a folder the site cannot write",
        {f"{deployed.slug}/settings/base.py": lambda text: text + '\nMEDIA_ROOT = "/proc/no-uploads-here"\n'},
    )
    result = deploy_that_fails(deployed)
    assert "the release fails on its own socket (/health/: 503)" in result.stderr
    assert f"manage.py restore deploys/{newest_backup(server).name} --replace" in result.stderr
    client = deployed.deployment.client()
    assert "<p>Version 2</p>" in client.get("/").text
    assert client.get("/health/").body == b"ok\n"


def test_a_version_that_fails_before_the_switch_leaves_the_site_untouched(deployed):
    server = deployed.server
    backups = sorted((server.base / "backups").iterdir())
    commit(
        deployed,
        "Version 4: a middleware that does not exist",
        {
            f"{deployed.slug}/settings/base.py": lambda text: text.replace(
                "MIDDLEWARE = [\n", 'MIDDLEWARE = [\n    "nowhere.Middleware",\n'
            )
        },
    )
    result = deploy_that_fails(deployed)
    assert "No module named 'nowhere'" in result.stderr
    assert sorted((server.base / "backups").iterdir()) == backups
    assert "<p>Version 2</p>" in deployed.deployment.client().get("/").text


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("{% if user.is_authenticated %}", "home.html"),  # an {% if %} never closed: the template does not compile
        ("{% url 'no-such-page' %}", "/: 500"),  # compiles, fails when the page is rendered
    ],
    ids=["template-syntax", "page-error"],
)
def test_a_release_whose_pages_fail_is_checked_on_its_own_socket_and_never_switched_to(deployed, change, said):
    """The release answers /health/ and the smoke URLs on a socket of its own before any user reaches it."""
    commit(
        deployed,
        "Version 6: a home page that fails",
        {"templates/home.html": lambda text: text.replace("{% block content %}\n", "{% block content %}\n" + change)},
    )
    result = deploy_that_fails(deployed)
    assert said in result.stderr
    assert subprocess.run(["pgrep", "-f", "release-check-"]).returncode == 1, "its own gunicorn still runs"
    assert "<p>Version 2</p>" in deployed.deployment.client().get("/").text


def test_pages_behind_the_login_are_checked_as_the_smoke_user_whose_session_then_ends(deployed):
    """A documents list that fails only for a logged-in user: anonymous, it redirects to the login page (a
    pass); as DEPLOY_SMOKE_USER, it fails, so the release is never switched to."""
    server = deployed.server
    local = server.base / "local.py"
    before = local.read_text()
    local.write_text(before + 'DEPLOY_SMOKE_USER = "bob"\nDEPLOY_SMOKE_URLS = ["/", "/documents/"]\n')
    sessions = "from django.contrib.sessions.models import Session; print(Session.objects.count())"
    count = server.manage("shell", "--verbosity", "0", "-c", sessions).stdout.split()[-1]
    try:
        commit(
            deployed,
            "Version 7: a documents list that fails",
            {
                f"{deployed.slug}/documents/templates/documents/document_list.html": lambda text: text.replace(
                    "{% block content %}", "{% block content %}{% url 'no-such-page' %}", 1
                )
            },
        )
        result = deploy_that_fails(deployed)
    finally:
        local.write_text(before)
    assert "/documents/: 500" in result.stderr
    assert "/health/ / /documents/ logged in" in result.stdout
    assert server.manage("shell", "--verbosity", "0", "-c", sessions).stdout.split()[-1] == count


def test_a_release_whose_gunicorn_config_fails_to_load_is_never_switched_to(deployed):
    """gunicorn re-reads its config through current at the reload: a broken one would stop it for good."""
    commit(
        deployed,
        "Version 5: a gunicorn setting that does not load",
        {"deploy/gunicorn.conf.py": lambda text: text + "\nworkers = undefined_in_this_file\n"},
    )
    result = deploy_that_fails(deployed)
    assert "undefined_in_this_file" in result.stderr
    client = deployed.deployment.client()
    assert "<p>Version 2</p>" in client.get("/").text
    assert client.get("/health/").body == b"ok\n"


@pytest.mark.parametrize("target", ["{base}/local.py", "/etc/passwd", "../../../local.py"])
def test_a_link_that_leads_out_of_the_release_is_never_deployed(deployed, target):
    """git archive keeps symbolic links; collectstatic would copy what they point at, for nginx to serve."""
    server = deployed.server
    serving, releases = server.current.resolve(), sorted((server.base / "releases").iterdir())
    link = server.repository / "static" / "leak.txt"
    link.symlink_to(target.format(base=server.base))
    git(server.repository, "add", "--all")
    git(server.repository, "commit", "--quiet", "--message", "A link out of the release")
    try:
        result = server.deploy()
    finally:
        git(server.repository, "reset", "--quiet", "--hard", "HEAD~1")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "deploy: the commit has links that lead out of the release: static/leak.txt"
    )
    assert server.current.resolve() == serving
    assert sorted((server.base / "releases").iterdir()) == releases


def locked_pins(lock, python):
    """{(name, version)} of the lock's entries whose markers hold for ``python``."""
    code = "import json; from pip._vendor.packaging import markers; print(json.dumps(markers.default_environment()))"
    environment = json.loads(subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout)
    pins = set()
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = re.match(r"([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;]+)(?: ; ([^\\]+))?", line)
        if match and (not match[3] or Marker(match[3].strip()).evaluate(environment)):
            pins.add((re.sub(r"[-_.]+", "-", match[1]).lower(), match[2]))
    return pins


def test_the_servers_virtualenv_holds_exactly_the_lock(deployed):
    server = deployed.server
    frozen = subprocess.run([server.python, "-m", "pip", "freeze"], capture_output=True, text=True, check=True)
    installed = {
        (re.sub(r"[-_.]+", "-", name).lower(), version)
        for name, _, version in (line.partition("==") for line in frozen.stdout.splitlines())
    }
    lock = server.current / "requirements" / "prod.txt"
    assert installed == locked_pins(lock, server.python)
    assert ("django-extensions" not in {name for name, _ in installed}) and len(installed) > 20


def test_a_lock_with_a_wrong_hash_stops_the_deploy_before_the_switch(deployed):
    """A package whose files are not the ones the lock names (tampered, or uploaded again) is never installed."""
    server = deployed.server
    serving, releases = server.current.resolve(), sorted((server.base / "releases").iterdir())
    lock = server.repository / "requirements" / "prod.txt"
    text = lock.read_text(encoding="utf-8")
    sqlparse = re.search(r"(?m)^sqlparse==\S+ \\\n(?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+", text)[0]
    forged = re.sub(r"sha256:[0-9a-f]{64}", "sha256:" + "0" * 64, sqlparse)
    commit(
        deployed,
        "A lock whose sqlparse hashes are not its files'",
        {"requirements/prod.txt": lambda _: text.replace(sqlparse, forged)},
    )
    try:
        result = server.deploy()
    finally:
        git(server.repository, "reset", "--quiet", "--hard", "HEAD~1")
    assert result.returncode == 1
    assert "DO NOT MATCH THE HASHES" in result.stderr
    assert server.current.resolve() == serving
    assert sorted((server.base / "releases").iterdir()) == releases
    assert deployed.deployment.client().get("/health/").body == b"ok\n"


def test_a_developer_deploys_a_tag_over_ssh(deployed, tmp_path):
    """--ssh sends deploy/release.py to the server's python3: here an ssh that runs the command locally, as ssh
    does on the server: its arguments joined into one line for a shell. The ref is a branch whose name is shell
    syntax (git allows ; and >): it must reach the deploy as a name."""
    server = deployed.server
    fake_ssh, called = tmp_path / "ssh", tmp_path / "ssh-arguments"
    # ssh DESTINATION COMMAND...: note the arguments, then run the command here instead of on DESTINATION.
    fake_ssh.write_text(f'#!/bin/sh\necho "$@" > {called}\nshift\nexec /bin/sh -c "$*"\n')
    fake_ssh.chmod(0o755)
    git(server.repository, "tag", "v2", "HEAD")
    git(server.repository, "branch", "v2;id>proof", "v2")
    serving, releases = server.current.resolve(), sorted((server.base / "releases").iterdir())
    result = server.deploy(
        "v2;id>proof",
        "--keep",
        "2",
        "--ssh",
        "intranet@server.example",
        path=f"{tmp_path}{os.pathsep}{server.environment()['PATH']}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (server.repository / "proof").exists(), "the branch name ran as a command"
    destination, *command = called.read_text().split()
    assert (destination, command[:2], command[-3:]) == (
        "intranet@server.example",
        ["python3", "-"],
        ["'v2;id>proof'", "--keep", "2"],
    )
    assert "--ssh" not in command
    assert server.current.resolve().name.endswith(run_git(server.repository, "rev-parse", "v2")[:10])
    assert "<p>Version 2</p>" in deployed.deployment.client().get("/").text
    # --keep 2: the two newest releases stay (the new one and version 2's, the previous one, to switch back
    # to); the first release goes. The versions that failed left no folder behind.
    assert len(releases) == 2
    assert sorted((server.base / "releases").iterdir()) == sorted({*releases[-1:], serving, server.current.resolve()})


def test_several_hosts_deploy_one_after_the_other_and_the_first_failure_stops_the_rest(deployed, tmp_path):
    """--hosts: each over SSH in turn, the scheduled jobs on the first alone; b fails, so c keeps its release."""
    server, called = deployed.server, tmp_path / "ssh-calls"
    fake_ssh = tmp_path / "ssh"
    fake_ssh.write_text(f'#!/bin/sh\necho "$@" >> {called}\n[ "$1" != deploy@b ]\n')
    fake_ssh.chmod(0o755)
    path = f"{tmp_path}{os.pathsep}{server.environment()['PATH']}"
    result = server.deploy("v2", "--hosts", "deploy@a,deploy@b,deploy@c", path=path)
    assert result.returncode == 1
    assert (
        result.stderr.splitlines()[-1]
        == "deploy: deploy@b failed: the hosts after it were left as they are (deploy@c)"
    )
    first, second = called.read_text().splitlines()
    assert first.startswith("deploy@a python3 - deploy ") and "--no-jobs" not in first and "--hosts" not in first
    assert second.startswith("deploy@b python3 - deploy ") and second.endswith(" v2 --no-jobs")
    hosts_file = tmp_path / "servers"
    hosts_file.write_text("# the app servers\ndeploy@a\n\n-oProxyCommand=id\n")
    refused = server.deploy("--hosts-file", str(hosts_file), path=path)
    assert refused.returncode == 2
    assert "the hosts must be USER@HOST" in refused.stderr
    assert len(called.read_text().splitlines()) == 2


@pytest.fixture
def release_module(deployed):
    """The deployed release's deploy/release.py, imported (it is standard library only)."""
    spec = importlib.util.spec_from_file_location("release", deployed.server.current / "deploy" / "release.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_deploys_of_one_commit_in_the_same_second_get_two_folders(release_module, tmp_path, monkeypatch):
    monkeypatch.setattr(release_module.time, "strftime", lambda pattern: "20261205-101010")
    (tmp_path / "releases").mkdir()
    folders = []
    for _ in range(3):
        folders.append(release_module.new_release_folder(tmp_path, "0123456789abcdef"))
        folders[-1].mkdir()
    assert [folder.name for folder in folders] == [
        "20261205-101010-0123456789",
        "20261205-101010-0123456789-2",
        "20261205-101010-0123456789-3",
    ]
    assert all(release_module.RELEASE_NAME.fullmatch(folder.name) for folder in folders)


def test_a_folder_that_is_no_release_takes_no_place_among_those_kept(release_module, tmp_path):
    releases = [tmp_path / "releases" / f"2026120{day}-101010-0123456789" for day in range(1, 5)]
    stray = tmp_path / "releases" / "notes-by-hand"
    for folder in (*releases, stray):
        folder.mkdir(parents=True)
    (tmp_path / "venvs").mkdir()
    (tmp_path / "current").symlink_to(releases[-1])
    release_module.prune(tmp_path, 3, releases[-2])
    # The three newest releases stay, and the stray folder is left alone.
    assert sorted((tmp_path / "releases").iterdir()) == sorted([*releases[1:], stray])


def test_a_pid_file_whose_gunicorn_is_gone_is_an_error_not_a_first_deploy(release_module, tmp_path):
    """A site whose gunicorn died is down: a deploy must say so and fail, not end as if all were well."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    (tmp_path / "gunicorn.pid").write_text(f"{gone.pid}\n")
    with pytest.raises(release_module.DeployError, match=f"gunicorn.pid names {gone.pid}, which is not running"):
        release_module.reload(tmp_path, tmp_path)
    (tmp_path / "gunicorn.pid").unlink()
    assert release_module.reload(tmp_path, tmp_path) is False


def test_a_gunicorn_that_stops_during_the_reload_is_an_error(release_module, tmp_path, monkeypatch):
    """The master exiting while the deploy waits for its workers: a clear error, not a crash in /proc."""
    master = subprocess.Popen(["sleep", "30"])
    (tmp_path / "gunicorn.pid").write_text(f"{master.pid}\n")
    kill = os.kill

    def hup_that_stops_it(pid, number):
        if number:  # the USR2
            kill(pid, signal.SIGKILL)
            master.wait()

    monkeypatch.setattr(release_module.os, "kill", hup_that_stops_it)
    with pytest.raises(release_module.DeployError, match="gunicorn stopped"):
        release_module.reload(tmp_path, tmp_path, timeout=5)


@pytest.mark.parametrize(("config", "sent"), [("preload_app = True\n", "SIGUSR2"), ("", "SIGHUP")])
def test_a_master_running_an_older_config_reloads_with_a_hup(release_module, tmp_path, monkeypatch, config, sent):
    """A new master (USR2) needs the config that re-executes gunicorn as the unit started it: a master running
    an older release's config, without it, reloads in place as it did then."""
    master = subprocess.Popen(["sleep", "30"])
    (tmp_path / "gunicorn.pid").write_text(f"{master.pid}\n")
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "gunicorn.conf.py").write_text(f"workers = 2\n{config}")
    signals = []
    monkeypatch.setattr(release_module.os, "kill", lambda pid, number: signals.append((pid, number)))
    try:
        with pytest.raises(release_module.DeployError, match="did not all start"):
            release_module.reload(tmp_path, tmp_path / "new", serving=tmp_path, timeout=0.5)
    finally:
        monkeypatch.undo()
        master.kill()
        master.wait()
    assert signals == [(master.pid, getattr(signal, sent))]


@pytest.mark.parametrize(("notify_access", "refused"), [("main", True), ("all", False)])
def test_a_unit_that_would_stop_the_site_at_a_reload_is_refused_before_anything_changes(
    release_module, tmp_path, monkeypatch, notify_access, refused
):
    """systemd follows the new master of a reload only if the unit lets it say so (NotifyAccess=all)."""
    master = subprocess.Popen(["sleep", "30"])
    (tmp_path / "gunicorn.pid").write_text(f"{master.pid}\n")
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "gunicorn.conf.py").write_text("preload_app = True\n")
    (tmp_path / "bin").mkdir()
    systemctl = tmp_path / "bin" / "systemctl"
    systemctl.write_text(f"#!/bin/sh\nprintf 'MainPID={master.pid}\\nNotifyAccess={notify_access}\\n'\n")
    systemctl.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    try:
        if refused:
            with pytest.raises(release_module.DeployError, match="install deploy/.*service again"):
                release_module.reloadable(tmp_path, tmp_path)
        else:
            release_module.reloadable(tmp_path, tmp_path)
    finally:
        master.kill()
        master.wait()


def two_releases(base):
    """releases/ with an older and a newer release, current naming the older."""
    older, newer = (base / "releases" / name for name in ("20261201-000000-aaaaaaaaaa", "20261206-000000-bbbbbbbbbb"))
    older.mkdir(parents=True)
    (base / "current").symlink_to(older.relative_to(base))
    return older, newer


def unhealthy_once_served(release_module, monkeypatch):
    """Every release reloads into gunicorn, and none is healthy there: what each reload was, from and to."""
    reloads = []
    monkeypatch.setattr(release_module, "reloadable", lambda run_dir, serving: None)
    monkeypatch.setattr(release_module, "healthy", lambda run_dir, release, settings: False)

    def reload(run_dir, release, serving):
        reloads.append((serving.name, release.name))
        return True

    monkeypatch.setattr(release_module, "reload", reload)
    return reloads


def test_a_release_unhealthy_once_it_serves_gives_way_to_the_one_before_and_is_deleted(
    release_module, tmp_path, monkeypatch, capsys
):
    """Healthy on its own socket, not once gunicorn serves it (what differs between the two, e.g. the unit's
    environment): the release before serves again, and the failed one goes, so no rollback can pick it."""
    older, newer = two_releases(tmp_path)
    reloads = unhealthy_once_served(release_module, monkeypatch)
    installed = []
    monkeypatch.setattr(release_module, "fetch", lambda base, ref, repository: "b" * 40)
    monkeypatch.setattr(release_module, "new_release_folder", lambda base, commit: newer)
    monkeypatch.setattr(release_module, "export", lambda base, commit, release: release.mkdir())
    for step in ("refuse_links_out_of", "link_shared", "make_virtualenv", "share_hashed_static"):
        monkeypatch.setattr(release_module, step, lambda *arguments: None)
    for step in ("check_gunicorn_config", "check_on_its_own_socket"):
        monkeypatch.setattr(release_module, step, lambda *arguments: None)
    monkeypatch.setattr(release_module, "scheduled_jobs", lambda release, settings: {"backup": "daily"})
    monkeypatch.setattr(release_module, "manage", lambda *arguments: "backups/deploys/20261206-000000\n")
    monkeypatch.setattr(release_module, "install_jobs", lambda *arguments: installed.append(arguments))
    options = release_module.parse(["deploy", "--base", str(tmp_path), "--run-dir", str(tmp_path)])

    assert release_module.deploy(options) == 1

    assert (tmp_path / "current").resolve() == older
    assert reloads == [(older.name, newer.name), (newer.name, older.name)]
    assert not newer.exists()
    assert installed == []  # the timers stay those of the release that serves
    said = capsys.readouterr().err
    assert f"{newer.name} is not healthy (see the journal): back to {older.name}." in said
    assert "manage.py restore deploys/20261206-000000 --replace" in said


def test_a_rollback_to_a_release_unhealthy_once_it_serves_switches_back(release_module, tmp_path, monkeypatch):
    older, newer = two_releases(tmp_path)
    newer.mkdir()
    release_module.switch(tmp_path, newer)
    reloads = unhealthy_once_served(release_module, monkeypatch)
    options = release_module.parse(["rollback", "--base", str(tmp_path), "--run-dir", str(tmp_path)])

    said = f"^{older.name} is not healthy .*: {newer.name} serves again"
    with pytest.raises(release_module.DeployError, match=said):
        release_module.rollback(options)

    assert (tmp_path / "current").resolve() == newer
    assert reloads == [(newer.name, older.name), (older.name, newer.name)]
    assert older.exists()  # a rollback deletes nothing


def test_a_missing_project_folder_is_one_line(deployed, tmp_path):
    result = subprocess.run(
        [
            deployed.server.python3,
            str(deployed.server.current / "deploy" / "release.py"),
            "deploy",
            "--base",
            tmp_path / "none",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"deploy: {tmp_path / 'none'} does not exist: make it as docs/deploy.md's server steps say (adduser)"
    ]


def test_an_ssh_destination_is_never_taken_for_an_option_of_ssh(deployed):
    """ssh -oProxyCommand=... would run a command on this machine: a destination starts with a user or a host."""
    script = deployed.server.current / "deploy" / "release.py"
    result = subprocess.run(
        [deployed.server.python3, str(script), "deploy", "--ssh", "-oProxyCommand=touch proof"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["deploy: --ssh '-oProxyCommand=touch proof' is not USER@HOST"]


def test_nginx_slows_login_attempts_per_client_whatever_the_username(deployed):
    """Each attempt names another user, so django-axes counts none twice: the 429s are nginx's.

    Last in this module: the logins of the tests above count too."""
    clients = [deployed.deployment.client() for _ in range(10)]
    for client in clients:
        client.get("/accounts/login/")

    def guesses(client, first):
        return [
            client.post("/accounts/login/", {"username": f"guess{number}", "password": "wrong"}).status
            for number in range(first, first + 6)
        ]

    # 60 attempts at once, 6 by each of 10 connections: past the burst of 30 however slow the machine is (it
    # would take a minute to earn 30 more at 30 a minute).
    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        statuses = [status for batch in pool.map(guesses, clients, range(0, 60, 6)) for status in batch]
    assert 200 in statuses
    assert 429 in statuses
    client = clients[0]
    # The bucket refills at one a 2 s: on a busy machine a token or two came back while the pool ran. More than
    # the burst holds, at once, meet nginx's refusal whatever time has passed.
    attempts = ({"username": f"another{number}", "password": "x"} for number in range(40))
    answers = (client.post("/accounts/login/", attempt) for attempt in attempts)
    refused = next((answer for answer in answers if answer.status == 429), None)
    assert refused is not None and "nginx" in refused.text
    # Reading pages is not limited.
    assert client.get("/accounts/login/").status == 200
