"""The generated deploy/ files, run for real: gunicorn and nginx on loopback, over HTTPS.

The project is baked with the documents app, migrated and collected under prod settings, then served
by gunicorn with deploy/gunicorn.conf.py behind nginx with deploy/nginx-site.conf and its included
locations, changed only in paths, ports and certificate (see nginx.NginxSite).
"""

import configparser
import http.client
import os
import ssl
import stat
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tools import deployment, http_client, nginx

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("deploy")]

PASSWORD = "a-long-test-password-for-deploy"


@pytest.fixture(scope="module")
def deployed(need, bake_project, baked_python, tmp_path_factory):
    nginx = need("nginx")
    need("openssl")
    project = bake_project(include_documents_app=True)
    domain = f"{project.slug}.example.com"
    # The clients below name the domain, as browsers do; the socket test talks to gunicorn as 127.0.0.1.
    mails = tmp_path_factory.mktemp("mails")
    project.fill_local(
        f'ALLOWED_HOSTS = ["{domain}", "127.0.0.1"]\n'
        f'EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"\nEMAIL_FILE_PATH = "{mails}"\n'
    )
    project.manage("migrate", "--no-input", settings="prod")
    project.manage("collectstatic", "--no-input", settings="prod")
    content = os.urandom(3 * 1024 * 1024 + 17)
    source = tmp_path_factory.mktemp("upload") / "payslip.bin"
    source.write_bytes(content)
    # The Greek name checks that X-Accel-Redirect carries the stored ASCII name.
    pk, name = deployment.create_users_and_document(
        project.python, project.path, f"{project.slug}.settings.prod", source, "Μισθοδοσία 2026.bin", PASSWORD
    )
    public = project.path / "media" / "logos"
    public.mkdir(parents=True)
    (public / "logo.txt").write_text("a public upload\n")
    (public / "page.html").write_text("<script>alert(document.cookie)</script>\n")
    (public / "drawing.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n')
    (public / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    with deployment.deployed(
        nginx,
        baked_python,
        project.path,
        slug=project.slug,
        domain=domain,
        settings=f"{project.slug}.settings.prod",
        default_server=True,
    ) as running:
        yield SimpleNamespace(
            project=project,
            slug=project.slug,
            domain=domain,
            deployment=running,
            nginx=nginx,
            document_pk=int(pk),
            stored_name=name,
            content=content,
            mails=mails,
        )


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
    collected = deployed.project.path / "collected_static" / "css"
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
    deployed.project.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model as u; "
        "u().objects.filter(username='alice').update(email='alice@example.com')",
        settings="prod",
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


def test_access_log_shows_the_client_address_nginx_saw(deployed):
    deployed.deployment.client().get("/?audit-probe", headers={"X-Forwarded-For": "203.0.113.66"})
    log = deployed.deployment.directory / "gunicorn.log"
    # gunicorn writes the line once the response is sent, which may be just after the client has it.
    deadline = time.monotonic() + 10
    while "audit-probe" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    (line,) = [line for line in log.read_text().splitlines() if "audit-probe" in line]
    assert line.startswith("127.0.0.1 ")
    assert "203.0.113.66" not in line


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


def test_systemd_unit_runs_the_gunicorn_config_with_prod_settings(deployed, need):
    systemd_analyze = need("systemd-analyze")
    slug, project = deployed.slug, deployed.project
    source = project.path / "deploy" / f"{slug}.service"
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str
    unit.read_string(source.read_text())
    service = unit["Service"]
    assert service["Environment"] == f"DJANGO_SETTINGS_MODULE={slug}.settings.prod"
    assert service["WorkingDirectory"] == f"/srv/{slug}"
    assert service["ExecStart"] == f"/srv/{slug}/.venv/bin/gunicorn --config deploy/gunicorn.conf.py"
    # A read-only system for the app but its uploads; runtime files under /run, not in the code tree.
    assert service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"] == f"/srv/{slug}/media"
    assert service["NoNewPrivileges"] == "yes"
    assert service["PrivateTmp"] == "yes"
    gunicorn_conf = (project.path / "deploy" / "gunicorn.conf.py").read_text()
    assert f'control_socket = "/run/{service["RuntimeDirectory"]}/gunicorn.ctl"' in gunicorn_conf
    assert (
        f'bind = "unix:/run/{service["RuntimeDirectory"]}/gunicorn.sock"'
        in (project.path / "deploy" / "gunicorn.conf.py").read_text()
    )
    # systemd's own parser, with the server paths pointing at this machine's files.
    adjusted = deployed.deployment.directory / source.name
    adjusted.write_text(
        source.read_text()
        .replace(f"/srv/{slug}/.venv/bin/gunicorn", str(Path(project.python).with_name("gunicorn")))
        .replace(f"/srv/{slug}", str(project.path))
    )
    result = subprocess.run([systemd_analyze, "verify", str(adjusted)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_nginx_slows_login_attempts_per_client_whatever_the_username(deployed):
    """Each attempt names another user, so django-axes counts none twice: the 429s are nginx's.

    Last in this module: the logins of the tests above count too."""
    client = deployed.deployment.client()
    client.get("/accounts/login/")
    statuses = [
        client.post("/accounts/login/", {"username": f"guess{number}", "password": "wrong"}).status
        for number in range(60)
    ]
    assert statuses[0] == 200
    assert 429 in statuses
    assert "nginx" in client.post("/accounts/login/", {"username": "another", "password": "x"}).text
    # Reading pages is not limited.
    assert client.get("/accounts/login/").status == 200
