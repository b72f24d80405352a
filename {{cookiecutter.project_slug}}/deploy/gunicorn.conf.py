"""gunicorn settings of the systemd unit {{ cookiecutter.project_slug }}.service, read again at reloads."""

import multiprocessing
import os

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
# For deploy/release.py, which runs as the project's user: it reloads gunicorn with a HUP to this process.
pidfile = "/run/{{ cookiecutter.project_slug }}/gunicorn.pid"
# gunicornc's control socket: with the runtime files, never in the code tree
# ($HOME is /srv/{{ cookiecutter.project_slug }}).
control_socket = "/run/{{ cookiecutter.project_slug }}/gunicorn.ctl"
workers = multiprocessing.cpu_count() * 2 + 1
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
