"""A baked project deployed as its deploy/ files say (gunicorn behind nginx) on loopback, and its test data."""

import contextlib
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tools.bake import IN_PROJECT
from tools.http_client import Client
from tools.nginx import NginxSite, code_dir, nginx_server
from tools.processes import ServerError, stop, stop_pid, unix_socket_accepts, wait_until


@contextlib.contextmanager
def gunicorn(python, config, directory, socket_path, *, settings, workers=2, app=None, log, private_address=None):
    """gunicorn with ``config`` (a deploy/gunicorn.conf.py) in ``directory``, bound to ``socket_path``.

    With ``private_address`` (host:port), bound as the config binds it: its socket (moved to ``socket_path``)
    and the address in GUNICORN_PRIVATE_ADDRESS, as an app server of several is.
    """
    runtime = Path(socket_path).parent
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": settings}
    if private_address:
        socket_line = r'"unix:/run/[^"]+/gunicorn\.sock"'
        text, replaced = re.subn(socket_line, f'"unix:{socket_path}"', Path(config).read_text())
        if replaced != 1:
            raise ServerError(f"{config} binds no unix:/run/<project>/gunicorn.sock: update tools/deployment.py")
        config = runtime / "gunicorn.conf.py"
        config.write_text(text)
        environment["GUNICORN_PRIVATE_ADDRESS"] = private_address
        binding = []
    else:
        binding = ["--bind", f"unix:{socket_path}"]
    command = [str(python), "-m", "gunicorn", "--config", str(config), *binding]
    command += ["--workers", str(workers), "--chdir", str(directory)]
    command += ["--pid", str(runtime / "gunicorn.pid")]
    if app:
        command.append(app)
    with open(log, "ab") as output:
        process = subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: unix_socket_accepts(socket_path), process, log)
        yield process
    finally:
        stop(process)
        # After a reload (USR2) the master is another process, the one the pid file names.
        stop_pid(runtime / "gunicorn.pid")


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
def deployed(
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
    object_store=None,
):
    """The baked project behind gunicorn and nginx, as deploy/ describes it, on loopback.

    ``project_dir`` stands for /srv/<slug>: a baked project, or a server folder with releases made by
    deploy/release.py. ``app`` and ``gunicorn_dir`` run another WSGI application under the same gunicorn
    and nginx settings. ``object_store`` (host:port): the store nginx-media.conf proxies to (use_object_storage).
    """
    # Through the current link, as systemd runs it: deploy/release.py switches it.
    code = code_dir(project_dir)
    with tempfile.TemporaryDirectory(prefix="deploy-") as directory:
        directory = Path(directory)
        socket_path = directory / "gunicorn.sock"
        site = NginxSite(Path(project_dir), slug, domain, directory, socket_path, default_server, proxy_buffering)
        site.object_store = object_store
        with (
            gunicorn(
                python,
                code / "deploy" / "gunicorn.conf.py",
                gunicorn_dir or code,
                socket_path,
                settings=settings,
                workers=workers,
                app=app,
                log=directory / "gunicorn.log",
            ),
            nginx_server(nginx, site),
        ):
            yield Deployment(site, directory)


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
