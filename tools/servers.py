"""Start a baked project's real servers on loopback: gunicorn + nginx from its deploy/ files, and PostgreSQL.

Shared by the integration tests (tests/test_deploy.py, tests/test_postgres.py) and the benchmarks, so
this module uses the standard library only. Every server listens on 127.0.0.1 (or a Unix socket in a
temporary folder) and is stopped when its ``with`` block ends.
"""

import contextlib
import glob
import http.client
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

# Scripts that a baked project's Python runs, with the project's package importable.
IN_PROJECT = Path(__file__).resolve().parent / "in_project"
POSTGRES_BIN_DIRS = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)


class ServerError(RuntimeError):
    """A server did not start or stop as expected; the message carries its log."""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(ready, process, log, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"{process.args[0]} exited with {process.returncode}:\n{read_log(log)}")
        if ready():
            return
        time.sleep(0.1)
    raise ServerError(f"{process.args[0]} not ready after {timeout} s:\n{read_log(log)}")


def read_log(path):
    return Path(path).read_text(errors="replace")[-4000:] if Path(path).exists() else "(no log)"


def stop(process, timeout=15):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def unix_socket_accepts(path):
    with socket.socket(socket.AF_UNIX) as probe:
        try:
            probe.connect(str(path))
        except OSError:
            return False
        return True


def http_answers(url):
    """A readiness probe for wait_until(): the URL answers 200."""

    def ready():
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    return ready


def tcp_port_accepts(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def self_signed_certificate(directory):
    certificate, key = Path(directory) / "cert.pem", Path(directory) / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    return certificate, key


@contextlib.contextmanager
def gunicorn(python, config, directory, socket_path, *, settings, workers=2, app=None, log):
    """gunicorn with ``config`` (a deploy/gunicorn.conf.py) in ``directory``, bound to ``socket_path``."""
    command = [str(python), "-m", "gunicorn", "--config", str(config)]
    command += ["--bind", f"unix:{socket_path}", "--workers", str(workers), "--chdir", str(directory)]
    command += ["--control-socket", str(Path(socket_path).with_name("gunicorn.ctl"))]
    if app:
        command.append(app)
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": settings}
    with open(log, "ab") as output:
        process = subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: unix_socket_accepts(socket_path), process, log)
        yield process
    finally:
        stop(process)


@dataclass
class NginxSite:
    """The generated deploy/nginx-site.conf and its included locations, adjusted only in paths and ports."""

    project_dir: Path
    slug: str
    domain: str
    directory: Path
    socket_path: Path
    # deploy/nginx-default.conf too: then only requests naming ``domain`` (Host and SNI) reach the site.
    default_server: bool = False
    # False: the common misconfiguration `proxy_buffering off;` in the app's location (benchmarks only).
    proxy_buffering: bool = True
    http_port: int = field(default_factory=free_port)
    https_port: int = field(default_factory=free_port)

    def adjust(self, text, replacements):
        for old, new in replacements.items():
            if old not in text:
                raise ServerError(f"{old!r} is no longer in the generated nginx files: update tests/servers.py")
            text = text.replace(old, new)
        return text

    def write(self):
        deploy = self.project_dir / "deploy"
        certificate, key = self_signed_certificate(self.directory)
        server_root = f"/srv/{self.slug}"
        locations = self.directory / "locations.conf"
        locations.write_text(
            self.adjust(
                (deploy / "nginx-locations.conf").read_text(),
                {
                    f"/run/{self.slug}/gunicorn.sock;": f"{self.socket_path};"
                    + ("" if self.proxy_buffering else "\n    proxy_buffering off;"),
                    f"{server_root}/": f"{self.project_dir}/",
                },
            )
        )
        site = self.directory / "site.conf"
        site.write_text(
            self.adjust(
                (deploy / "nginx-site.conf").read_text(),
                {
                    "listen 80;": f"listen 127.0.0.1:{self.http_port};",
                    "listen 443 ssl;": f"listen 127.0.0.1:{self.https_port} ssl;",
                    f"/etc/letsencrypt/live/{self.domain}/fullchain.pem": str(certificate),
                    f"/etc/letsencrypt/live/{self.domain}/privkey.pem": str(key),
                    f"/etc/nginx/snippets/{self.slug}-locations.conf": str(locations),
                },
            )
        )
        if self.default_server:
            default = self.directory / "default.conf"
            default.write_text(
                self.adjust(
                    (deploy / "nginx-default.conf").read_text(),
                    {
                        "listen 80 default_server;": f"listen 127.0.0.1:{self.http_port} default_server;",
                        "listen 443 ssl default_server;": f"listen 127.0.0.1:{self.https_port} ssl default_server;",
                    },
                )
            )
            site.write_text(f"include {default};\n{site.read_text()}")
        # What /etc/nginx/nginx.conf gives a site on Debian, with every file inside self.directory.
        temp = self.directory / "temp"
        temp.mkdir(exist_ok=True)
        user = "user root;\n" if os.geteuid() == 0 else ""  # the project lives in root's private tmp folder
        conf = self.directory / "nginx.conf"
        conf.write_text(
            f"{user}worker_processes 2;\npid {self.directory}/nginx.pid;\nerror_log {self.directory}/error.log;\n"
            "events { worker_connections 512; }\n"
            "http {\n"
            "    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            "    sendfile on;\n    tcp_nopush on;\n"
            f"    access_log {self.directory}/access.log;\n"
            + "".join(
                f"    {kind}_temp_path {temp}/{kind};\n"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            )
            + f"    include {site};\n}}\n"
        )
        return conf


def nginx_command(nginx, conf, *arguments):
    directory = Path(conf).parent
    return [nginx, "-p", str(directory), "-c", str(conf), "-e", str(directory / "error.log"), *arguments]


def nginx_test(nginx, conf):
    """``nginx -t`` on the configuration: (passed, output)."""
    result = subprocess.run(nginx_command(nginx, conf, "-t"), capture_output=True, text=True)
    return result.returncode == 0, result.stderr


@contextlib.contextmanager
def nginx_server(nginx, site):
    conf = site.write()
    passed, output = nginx_test(nginx, conf)
    if not passed:
        raise ServerError(f"nginx -t rejected the configuration:\n{output}")
    log = site.directory / "error.log"
    process = subprocess.Popen(nginx_command(nginx, conf, "-g", "daemon off;"), stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: tcp_port_accepts(site.https_port) and tcp_port_accepts(site.http_port), process, log)
        yield process
    finally:
        stop(process)


@dataclass
class Deployment:
    site: NginxSite
    directory: Path

    @property
    def base_url(self):
        return f"https://127.0.0.1:{self.site.https_port}"

    def client(self):
        """A client naming the site's domain (Host and SNI), as a browser does."""
        return Client("127.0.0.1", self.site.https_port, server_name=self.site.domain)


@contextlib.contextmanager
def deployment(
    nginx,
    python,
    project_dir,
    *,
    slug,
    domain,
    settings,
    workers=2,
    app=None,
    gunicorn_dir=None,
    default_server=False,
    proxy_buffering=True,
):
    """The baked project behind gunicorn and nginx, as deploy/ describes it, on loopback.

    ``app`` and ``gunicorn_dir`` run another WSGI application under the same gunicorn and nginx settings.
    """
    with tempfile.TemporaryDirectory(prefix="deploy-") as directory:
        directory = Path(directory)
        socket_path = directory / "gunicorn.sock"
        site = NginxSite(Path(project_dir), slug, domain, directory, socket_path, default_server, proxy_buffering)
        with (
            gunicorn(
                python,
                Path(project_dir) / "deploy" / "gunicorn.conf.py",
                gunicorn_dir or project_dir,
                socket_path,
                settings=settings,
                workers=workers,
                app=app,
                log=directory / "gunicorn.log",
            ),
            nginx_server(nginx, site),
        ):
            yield Deployment(site, directory)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")


class Client:
    """A small HTTPS client that keeps cookies, sends paths exactly as given and never follows redirects."""

    def __init__(self, host, port, *, https=True, server_name=None, timeout=30):
        """Connects to ``host``; names ``server_name`` (default: ``host``) in the Host header and TLS SNI."""
        self.host, self.port, self.https, self.timeout = host, port, https, timeout
        self.server_name = server_name or host
        self.cookies = SimpleCookie()

    def connection(self):
        if self.https:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # the tests' self-signed certificate
            connection = http.client.HTTPSConnection(
                self.server_name, self.port, context=context, timeout=self.timeout
            )
        else:
            connection = http.client.HTTPConnection(self.server_name, self.port, timeout=self.timeout)
        # Resolve the name to ``host`` ourselves: http.client uses its host argument for SNI and Host alike.
        connection._create_connection = lambda address, *args, **kwargs: socket.create_connection(
            (self.host, address[1]), *args, **kwargs
        )
        return connection

    @property
    def origin(self):
        return f"{'https' if self.https else 'http'}://{self.server_name}:{self.port}"

    def request(self, method, path, *, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={morsel.value}" for name, morsel in self.cookies.items())
        connection = self.connection()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            result = Response(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in result.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        return result

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data):
        """A form POST, with the Referer Django's CSRF check wants over HTTPS."""
        data = {"csrfmiddlewaretoken": self.cookies["csrftoken"].value, **data}
        return self.request(
            "POST",
            path,
            body=urllib.parse.urlencode(data),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": self.origin + path},
        )

    def log_in(self, username, password):
        self.get("/accounts/login/")
        response = self.post("/accounts/login/", {"username": username, "password": password})
        if response.status != 302:
            raise ServerError(f"login as {username} failed ({response.status}): {response.text[:2000]}")
        return response


def unix_socket_get(socket_path, path, headers):
    """GET straight from gunicorn's socket, bypassing nginx; the body is what arrived before the socket closed.

    (An X-Accel-Redirect answer announces the file's Content-Length but sends no body.)
    """

    class UnixConnection(http.client.HTTPConnection):
        def connect(self):
            self.sock = socket.socket(socket.AF_UNIX)
            self.sock.connect(str(socket_path))

    connection = UnixConnection("localhost", timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        try:
            body = response.read()
        except http.client.IncompleteRead as error:
            body = error.partial
        return Response(response.status, response.headers, body)
    finally:
        connection.close()


def create_users_and_document(python, project_dir, settings, source, name, password):
    """Users alice and bob, and alice's protected document holding ``source``'s bytes: (pk, stored name)."""
    result = subprocess.run(
        [str(python), str(IN_PROJECT / "create_data.py"), str(source), name, password],
        cwd=project_dir,
        # The script imports the project's package, as manage.py does.
        env={**os.environ, "DJANGO_SETTINGS_MODULE": settings, "PYTHONPATH": str(project_dir)},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise ServerError(f"creating the test data failed:\n{result.stderr}")
    pk, stored_name = result.stdout.split()
    return int(pk), stored_name


@dataclass
class Postgres:
    port: int
    socket_dir: Path
    bin_dir: Path

    def psql(self, sql, database="postgres"):
        command = [str(self.bin_dir / "psql"), "-h", str(self.socket_dir), "-p", str(self.port), "-U", "postgres"]
        subprocess.run([*command, "-d", database, "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True)

    def create_role_and_database(self, name, password):
        """The role the project connects as; CREATEDB so its test suite can make its test database."""
        self.psql(f"CREATE ROLE {name} LOGIN CREATEDB PASSWORD '{password}'")
        self.psql(f"CREATE DATABASE {name} OWNER {name}")


@contextlib.contextmanager
def postgres_cluster(bin_dir):
    """A throwaway PostgreSQL cluster on 127.0.0.1 and a free port; password login over TCP.

    PostgreSQL refuses to run as root, so as root the cluster belongs to the ``postgres`` system user.
    """
    bin_dir = Path(bin_dir)
    as_postgres = []
    directory = Path(tempfile.mkdtemp(prefix="pg-"))
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(directory, account.pw_uid, account.pw_gid)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data, log, port = directory / "data", directory / "server.log", free_port()

    def run(*command):
        result = subprocess.run([*as_postgres, *map(str, command)], capture_output=True, text=True)
        if result.returncode != 0:
            raise ServerError(f"{command[0]} failed:\n{result.stdout}\n{result.stderr}\n{read_log(log)}")

    try:
        # Sorting and letters as the project's runbook sets them up: ICU, and a UTF-8 character type.
        locale = ["-E", "UTF-8", "--locale=C.UTF-8", "--locale-provider=icu", "--icu-locale=und"]
        authentication = ["--auth-local=trust", "--auth-host=scram-sha-256"]
        run(bin_dir / "initdb", "-D", data, *locale, "-U", "postgres", *authentication)
        options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={directory} -c fsync=off"
        run(bin_dir / "pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "start")
        try:
            yield Postgres(port, directory, bin_dir)
        finally:
            run(bin_dir / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(directory, ignore_errors=True)
