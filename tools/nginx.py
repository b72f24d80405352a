"""nginx on loopback with a baked project's deploy/ files, adjusted only in paths and ports."""

import contextlib
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tools.processes import ServerError, free_port, stop, tcp_port_accepts, wait_until

TEMP_PATH_KINDS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def code_dir(project_dir):
    """The code a /srv/<slug> folder serves: its current release (deploy/release.py), or the folder itself."""
    current = Path(project_dir) / "current"
    return current if current.is_symlink() else Path(project_dir)


def self_signed_certificate(directory):
    certificate, key = Path(directory) / "cert.pem", Path(directory) / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    return certificate, key


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
    # The upstream's servers (nginx's "server" lines without the word), instead of gunicorn on socket_path.
    app_servers: list = None
    # host:port of the object store (use_object_storage), instead of the address nginx-media.conf names.
    object_store: str = None
    http_port: int = field(default_factory=free_port)
    https_port: int = field(default_factory=free_port)

    def adjusted(self, name, replacements):
        """deploy/<name> with each key of ``replacements`` (which must still be there) replaced."""
        text = (code_dir(self.project_dir) / "deploy" / name).read_text()
        for old, new in replacements.items():
            if old not in text:
                raise ServerError(f"{old!r} is no longer in deploy/{name}: update tools/nginx.py")
            text = text.replace(old, new)
        return text

    def write_locations(self):
        locations = self.directory / "locations.conf"
        proxy_pass = f"proxy_pass http://{self.slug}_app;"
        replacements = {
            proxy_pass: proxy_pass + ("" if self.proxy_buffering else "\n    proxy_buffering off;"),
            f"/srv/{self.slug}/": f"{self.project_dir}/",
            f"/etc/nginx/snippets/{self.slug}-media.conf": str(self.write_media()),
        }
        locations.write_text(self.adjusted("nginx-locations.conf", replacements))
        return locations

    def write_media(self):
        media = self.directory / "media.conf"
        if self.object_store:
            replacements = {"http://127.0.0.1:8333/": f"http://{self.object_store}/"}
        else:
            replacements = {f"/srv/{self.slug}/": f"{self.project_dir}/"}
        media.write_text(self.adjusted("nginx-media.conf", replacements))
        return media

    def write_site(self):
        certificate, key = self_signed_certificate(self.directory)
        site = self.directory / "site.conf"
        replacements = {
            "listen 80;": f"listen 127.0.0.1:{self.http_port};",
            "listen 443 ssl;": f"listen 127.0.0.1:{self.https_port} ssl;",
            f"/etc/letsencrypt/live/{self.domain}/fullchain.pem": str(certificate),
            f"/etc/letsencrypt/live/{self.domain}/privkey.pem": str(key),
            f"/etc/nginx/snippets/{self.slug}-locations.conf": str(self.write_locations()),
            f"server unix:/run/{self.slug}/gunicorn.sock;": "\n    ".join(
                f"server {address};" for address in self.app_servers or [f"unix:{self.socket_path}"]
            ),
        }
        text = self.adjusted("nginx-site.conf", replacements)
        if self.default_server:
            text = f"include {self.write_default()};\n{text}"
        site.write_text(text)
        return site

    def write_default(self):
        default = self.directory / "default.conf"
        replacements = {
            "listen 80 default_server;": f"listen 127.0.0.1:{self.http_port} default_server;",
            "listen 443 ssl default_server;": f"listen 127.0.0.1:{self.https_port} ssl default_server;",
        }
        default.write_text(self.adjusted("nginx-default.conf", replacements))
        return default

    def write(self):
        """nginx.conf as Debian's /etc/nginx/nginx.conf gives a site, with every file inside self.directory."""
        temp = self.directory / "temp"
        temp.mkdir(exist_ok=True)
        user = "user root;\n" if os.geteuid() == 0 else ""  # the project lives in root's private tmp folder
        temp_paths = "".join(f"    {kind}_temp_path {temp}/{kind};\n" for kind in TEMP_PATH_KINDS)
        conf = self.directory / "nginx.conf"
        conf.write_text(
            f"{user}worker_processes 2;\npid {self.directory}/nginx.pid;\nerror_log {self.directory}/error.log;\n"
            "events { worker_connections 512; }\n"
            "http {\n"
            "    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            "    sendfile on;\n    tcp_nopush on;\n"
            f"    access_log {self.directory}/access.log;\n{temp_paths}"
            f"    include {self.write_site()};\n}}\n"
        )
        return conf


def nginx_command(nginx, conf, *arguments):
    directory = Path(conf).parent
    return [nginx, "-p", str(directory), "-c", str(conf), "-e", str(directory / "error.log"), *arguments]


def nginx_test(nginx, conf):
    """``nginx -t`` on the configuration: (passed, output)."""
    result = subprocess.run(nginx_command(nginx, conf, "-t"), capture_output=True, text=True)
    return result.returncode == 0, result.stderr


def workers(master_pid):
    """The pids of the nginx master's children: its workers, and those still finishing old requests."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return set(children.read_text().split()) if children.exists() else set()


def reload(nginx, site, process):
    """Load ``site`` as written now into the running nginx ``process``, as ``systemctl reload nginx`` does, and
    return once each worker of the configuration before has finished the requests it held and exited."""
    conf = site.write()
    passed, output = nginx_test(nginx, conf)
    if not passed:
        raise ServerError(f"nginx -t rejected the configuration:\n{output}")
    before = workers(process.pid)
    subprocess.run(nginx_command(nginx, conf, "-s", "reload"), check=True, capture_output=True)
    wait_until(lambda: not before & workers(process.pid), process, site.directory / "error.log")


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
