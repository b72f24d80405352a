"""A server folder (the /srv/<slug> of docs/deploy.md) that a baked project deploys into with its own
deploy/release.py, on a PostgreSQL cluster, served by gunicorn and nginx on loopback: the deploy tests and
benchmarks/reloads.py share it. Standard library only, like the other server helpers."""

import contextlib
import http.client
import os
import secrets
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from tools import deployment, postgres
from tools.processes import ServerError

PASSWORD = "a-long-test-password-for-deploy"


def git(project_dir, *arguments):
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]
    subprocess.run(["git", *identity, *arguments], cwd=project_dir, check=True, capture_output=True)


def commit(repository, message, changes):
    """A new version in the git ``repository``: ``changes`` maps a file to a function of its text."""
    for name, change in changes.items():
        path = repository / name
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    git(repository, "add", "--all")
    git(repository, "commit", "--quiet", "--message", message)


def add_a_reference_to_documents(repository, python, declaration, message):
    """A version whose documents get a reference column, declared as ``declaration``, with its migration (made
    by ``python``, a Python that runs the project), and whose home page says "Version 2"."""
    commit(
        repository,
        message,
        {
            f"{repository.name}/documents/models.py": lambda text: text.replace(
                "class Document(UserDateAbstractModel):\n",
                f"class Document(UserDateAbstractModel):\n    reference = {declaration}\n",
            ),
            "templates/home.html": lambda text: text.replace(
                "{% block content %}\n", "{% block content %}\n<p>Version 2</p>\n"
            ),
        },
    )
    command = [str(python), "manage.py", "makemigrations", "documents", "--name", "reference"]
    subprocess.run(command, cwd=repository, check=True, capture_output=True)
    git(repository, "add", "--all")
    git(repository, "commit", "--quiet", "--message", f"{message}: the migration")


@dataclass
class Server:
    """The /srv/<slug> folder of a server, its deploys and manage.py commands in its current release."""

    base: Path
    slug: str
    python3: str
    pg_bin_dir: Path
    repository: Path
    run_dir: Path = None

    @property
    def current(self):
        return self.base / "current"

    @property
    def python(self):
        """The current release's Python, through the link as systemd runs it."""
        return self.current / ".venv" / "bin" / "python"

    @property
    def systemctl_calls(self):
        """What the deploys asked of systemd: a stand-in systemctl (no service manager runs here) logs it."""
        return self.base.with_name(f"{self.base.name}-bin") / "systemctl.log"

    def environment(self):
        # pg_dump and pg_restore of the cluster's own version, as Debian's postgresql-client gives a server.
        stand_ins = self.systemctl_calls.parent
        if not stand_ins.exists():
            stand_ins.mkdir()
            systemctl = stand_ins / "systemctl"
            systemctl.write_text(f'#!/bin/sh\necho "$*" >> {self.systemctl_calls}\nexit ${{SYSTEMCTL_EXIT:-0}}\n')
            systemctl.chmod(0o755)
        return {**os.environ, "PATH": os.pathsep.join([str(stand_ins), str(self.pg_bin_dir), os.environ["PATH"]])}

    def deploy(self, *arguments, path=None, task="deploy"):
        """python3 tasks.py deploy (or another of release.py's tasks), run from the repository's checkout as a
        developer would on the server."""
        command = [self.python3, "tasks.py", task, "--base", str(self.base)]
        if task == "deploy":
            command += ["--repository", str(self.repository)]
        if self.run_dir:
            command += ["--run-dir", str(self.run_dir)]
        started = time.monotonic()
        environment = {**self.environment(), **({"PATH": path} if path else {})}
        result = subprocess.run(
            [*command, *arguments], cwd=self.repository, env=environment, capture_output=True, text=True
        )
        result.seconds = time.monotonic() - started
        return result

    def manage(self, *arguments, check=True):
        result = subprocess.run(
            [str(self.python), "manage.py", *arguments],
            cwd=self.current,
            env={**self.environment(), "DJANGO_SETTINGS_MODULE": f"{self.slug}.settings.prod"},
            capture_output=True,
            text=True,
        )
        if check and result.returncode != 0:
            raise ServerError(f"manage.py {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
        return result


@contextlib.contextmanager
def served(repository, base, *, nginx, python3, pg_bin_dir, mails, upload):
    """The project in the git ``repository`` deployed into ``base`` (its first deploy) and served; users alice
    and bob, and alice's document holding ``upload``'s bytes (a file whose Greek name X-Accel-Redirect must
    carry as its stored ASCII name)."""
    slug, domain = repository.name, f"{repository.name}.example.com"
    server = Server(base, slug, python3, Path(pg_bin_dir), repository)
    database_password = secrets.token_urlsafe(16)
    with postgres.postgres_cluster(server.pg_bin_dir) as cluster:
        cluster.create_role_and_database(slug, database_password)
        (base / "local.py").write_text(
            f'SECRET_KEY = "{secrets.token_urlsafe(50)}"\n'
            f'ALLOWED_HOSTS = ["{domain}", "127.0.0.1"]\n'
            f'EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"\nEMAIL_FILE_PATH = "{mails}"\n'
            'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", '
            f'"NAME": "{slug}", "USER": "{slug}", "PASSWORD": "{database_password}", '
            f'"HOST": "127.0.0.1", "PORT": "{cluster.port}"}}}}\n'
        )
        first = server.deploy()
        if first.returncode != 0:
            raise ServerError(f"the first deploy failed:\n{first.stdout}{first.stderr}")
        pk, name = deployment.create_users_and_document(
            server.python, server.current, f"{slug}.settings.prod", upload, "Μισθοδοσία 2026.bin", PASSWORD
        )
        with deployment.deployed(
            nginx,
            server.python,
            base,
            slug=slug,
            domain=domain,
            settings=f"{slug}.settings.prod",
            default_server=True,
        ) as running:
            server.run_dir = running.directory
            yield SimpleNamespace(
                server=server,
                slug=slug,
                domain=domain,
                deployment=running,
                nginx=nginx,
                document_pk=int(pk),
                stored_name=name,
                first=first,
                mails=mails,
                cluster=cluster,
            )


class Load:
    """Logged-in clients through nginx while something happens: ``readers`` read the home page and the
    documents list, ``posters`` create documents with a file, as the form posts them, each request after the
    last. Every answer is kept as (started, finished, what, status or the error); a created document answers 302.
    """

    def __init__(self, deployed, category, readers=2, posters=1, username="bob", password=PASSWORD):
        self.category, self.stop = category, threading.Event()
        self.reads, self.posts = [], []
        clients = [deployed.deployment.client() for _ in range(readers + posters)]
        for client in clients:
            client.log_in(username, password)
        self.threads = [threading.Thread(target=self.read, args=(client,)) for client in clients[:readers]]
        self.threads += [threading.Thread(target=self.post, args=(client,)) for client in clients[readers:]]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exception):
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def wait_for(self, reads, posts, timeout=60):
        deadline = time.monotonic() + timeout
        while (len(self.reads) < reads or len(self.posts) < posts) and time.monotonic() < deadline:
            time.sleep(0.1)

    @staticmethod
    def answer(request, *arguments, **options):
        try:
            return request(*arguments, **options).status
        except (OSError, http.client.HTTPException) as error:
            return repr(error)

    def read(self, client, limit=50000):
        while not self.stop.is_set() and len(self.reads) < limit:
            for path in ("/", "/documents/"):
                started = time.monotonic()
                status = self.answer(client.get, path)
                self.reads.append((started, time.monotonic(), path, status))

    def post(self, client, limit=10000):
        while not self.stop.is_set() and len(self.posts) < limit:
            title = f"Load {secrets.token_hex(6)}"
            data = {"title": title, "category": self.category, "reviews-TOTAL_FORMS": 0, "reviews-INITIAL_FORMS": 0}
            upload = {"file": ("load.pdf", b"%PDF-1.4 " + os.urandom(64))}
            started = time.monotonic()
            status = self.answer(client.post, "/documents/new/", data, files=upload)
            self.posts.append((started, time.monotonic(), title, status))

    def failed(self):
        """The answers that are not what a working site gives: 200 for a read, 302 for a created document."""
        return [a for a in self.reads if a[3] != 200] + [a for a in self.posts if a[3] != 302]

    def during(self, started, finished):
        return [a for a in [*self.reads, *self.posts] if a[1] >= started and a[0] <= finished]
