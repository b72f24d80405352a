"""gunicorn settings, read by the systemd unit: gunicorn --config deploy/gunicorn.conf.py"""

import multiprocessing

wsgi_app = "{{ cookiecutter.project_slug }}.wsgi:application"
# nginx proxies to this socket (deploy/nginx-locations.conf); systemd creates /run/{{ cookiecutter.project_slug }}.
bind = "unix:/run/{{ cookiecutter.project_slug }}/gunicorn.sock"
workers = multiprocessing.cpu_count() * 2 + 1
# Recycle workers now and then, so a slow memory leak never takes the site down.
max_requests = 1000
max_requests_jitter = 100
# Logs go to stdout/stderr, which systemd hands to the journal.
accesslog = "-"
