"""gunicorn settings of the systemd unit {{ cookiecutter.project_slug }}.service, read again at reloads."""

import multiprocessing
import os
import signal
import sys

from gunicorn import systemd
from gunicorn.glogging import Logger

wsgi_app = "{{ cookiecutter.project_slug }}.wsgi:application"
# nginx on this host proxies to the socket (the upstream in deploy/nginx-site.conf); systemd creates
# /run/{{ cookiecutter.project_slug }}. An app server behind an nginx on another host also listens on
# the private address in GUNICORN_PRIVATE_ADDRESS, e.g. 10.0.0.11:8000 (docs/operate.md, "Growing past one
# server"). The deploy checks /health/ through the socket either way.
bind = [
    "unix:/run/{{ cookiecutter.project_slug }}/gunicorn.sock",
    *os.environ.get("GUNICORN_PRIVATE_ADDRESS", "").split(),
]
# The socket is the project's and nginx's (www-data is in the project's group), nobody else's.
umask = 0o007
# For deploy/release.py, which runs as the project's user: it reloads gunicorn with a USR2 to this process.
pidfile = "/run/{{ cookiecutter.project_slug }}/gunicorn.pid"
# A reload starts a new master, which would share the control socket's path with the old one, and the old one
# deletes it when it stops: no control socket (gunicornc) rather than one that vanishes after the first reload.
control_socket_disable = True
workers = multiprocessing.cpu_count() * 2 + 1
# The master imports the project once and its workers are forks of it, ready at once. A reload (systemctl
# reload, a deploy) is a USR2: a new master starts in the release current names, and stops the old one only
# when it has loaded the project (when_ready below); the old workers finish the requests they hold. Nobody
# waits for a worker importing Django, and a release that fails to load leaves the old master serving.
preload_app = True
# Recycle workers now and then, so a slow memory leak never takes the site down.
max_requests = 1000
max_requests_jitter = 100
# Logs go to stdout/stderr, which systemd hands to the journal. The first field is the client's
# address, from nginx's X-Forwarded-For (gunicorn itself only sees nginx), the
# last nginx's request id, which Django's lines of the same request carry too.
accesslog = "-"
access_log_format = '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}i)s'


class AccessLogWithoutHealthChecks(Logger):
    """Monitors ask /health/ every minute or so: a line each would bury the requests people made."""

    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") != "/health/":
            super().access(resp, req, environ, request_time)


logger_class = AccessLogWithoutHealthChecks


def pre_exec(server):
    """The new master of a reload runs `python -m gunicorn` as the unit does: gunicorn would start it as a script
    inside its own package, whose http module then hides the standard library's. The Python is the one the
    unit named, through the current link: the new release's virtualenv."""
    server.START_CTX["args"] = [sys.executable, "-m", "gunicorn", *server.START_CTX["args"][2:]]


def when_ready(server):
    """In the new master of a reload: systemd follows it from now on, and the old master stops gracefully."""
    if server.master_pid:
        systemd.sd_notify(f"MAINPID={os.getpid()}", server.log)
        os.kill(server.master_pid, signal.SIGTERM)
