"""Protected downloads and home-page throughput of a baked project, deployed as deploy/ says, on loopback.

    python -m benchmarks.downloads [--duration 5] [--connections 4]     (from the repository's root)

Bakes the default project, then serves it with gunicorn (deploy/gunicorn.conf.py, 2 workers) behind
nginx (deploy/nginx-site.conf, HTTPS) and loads it with wrk for a fixed time per case:
  (a) a 10 MB protected file: Django checks, nginx sends it (X-Accel-Redirect)
  (b) the same file streamed by Django through gunicorn (FileResponse, django-sendfile2's development backend)
  (c) the same bytes as a plain nginx file (public media): the limit
and the home page against a bare `django-admin startproject` app (one TemplateView) under the same
gunicorn and nginx settings. Needs nginx, wrk and openssl (Debian packages). Results go to stdout and
benchmarks/results/downloads.md.
"""

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tools import deployment, processes
from tools.bake import IN_PROJECT, bake, shared_python

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

SIZE = 10 * 1024 * 1024
PASSWORD = "a-long-benchmark-password"
WORKERS = 2


def run(*command, cwd=None, env=None):
    subprocess.run([str(part) for part in command], cwd=cwd, env={**os.environ, **(env or {})}, check=True)


def set_up_project(directory, store=None):
    """The default project (``store``: with use_object_storage, its media in that tools.object_store)."""
    project, python = bake(directory, {"use_object_storage": True} if store else None), shared_python()
    settings = project / "intranet" / "settings"
    local = 'SECRET_KEY = "benchmark-only-' + "x" * 50 + '"\nALLOWED_HOSTS = ["127.0.0.1", "intranet.example.com"]\n'
    if store:
        local += (
            f'AWS_S3_ENDPOINT_URL = "{store.endpoint}"\nAWS_STORAGE_BUCKET_NAME = "media"\n'
            f'AWS_S3_ACCESS_KEY_ID = "{store.access_key}"\nAWS_S3_SECRET_ACCESS_KEY = "{store.secret_key}"\n'
        )
    (settings / "local.py").write_text(local)
    # Case (b): prod, but Django streams the file itself.
    shutil.copy(IN_PROJECT / "stream_settings.py", settings / "stream.py")
    prod = {"DJANGO_SETTINGS_MODULE": "intranet.settings.prod"}
    run(python, "manage.py", "migrate", "--no-input", "-v0", cwd=project, env=prod)
    run(python, "manage.py", "collectstatic", "--no-input", "-v0", cwd=project, env=prod)
    if store:
        create_bucket = "from django.core.files.storage import default_storage; default_storage.bucket.create()"
        run(python, "manage.py", "shell", "-v0", "-c", create_bucket, cwd=project, env=prod)
    source = Path(directory) / "big.bin"
    source.write_bytes(os.urandom(SIZE))
    pk, _ = deployment.create_users_and_document(
        python, project, "intranet.settings.prod", source, "big.bin", PASSWORD
    )
    public = project / "media" / "public" / "big.bin"
    public.parent.mkdir(parents=True)
    shutil.copy(source, public)
    return project, python, pk, source.read_bytes()


def bare_project(python, directory):
    """`django-admin startproject bare`, plus the one page it is compared on."""
    bare = Path(directory)
    bare.mkdir()
    run(Path(python).with_name("django-admin"), "startproject", "bare", bare)
    (bare / "templates").mkdir()
    shutil.copy(HERE / "bare_project" / "home.html", bare / "templates" / "home.html")
    shutil.copy(HERE / "bare_project" / "urls.py", bare / "bare" / "urls.py")
    with open(bare / "bare" / "settings.py", "a") as settings:
        settings.write("\n" + (HERE / "bare_project" / "settings_tail.py").read_text())
    return bare


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}
BYTES = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def wrk(url, *, duration, connections, cookie=None):
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        raise processes.ServerError(f"wrk saw errors on {url}:\n{output}")
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s|m)\b", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s|m)\b", output)
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(B|KB|MB|GB)", output)
    return {
        "requests": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50_ms": float(p50[1]) * UNITS[p50[2]],
        "p99_ms": float(p99[1]) * UNITS[p99[2]],
        "mb_per_s": float(transfer[1]) * BYTES[transfer[2]] / 1024**2,
    }


def check_download(client, path, content, cookie=None):
    response = client.get(path, headers={"Cookie": cookie} if cookie else None)
    if response.status != 200 or response.body != content:
        raise processes.ServerError(f"{path} answered {response.status} with {len(response.body)} bytes")


def main(arguments):
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--duration", type=int, default=5, help="seconds of load per case (default 5)")
    options.add_argument("--connections", type=int, default=4, help="concurrent connections (default 4)")
    options = options.parse_args(arguments)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    for program in (nginx, "wrk", "openssl"):
        if not shutil.which(program):
            sys.exit(f"{program} is not installed (apt-get install nginx wrk openssl)")
    load = {"duration": options.duration, "connections": options.connections}
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as directory:
        project, python, pk, content = set_up_project(Path(directory) / "bake")
        download, public = f"/documents/{pk}/download/", "/media_intranet/public/big.bin"
        site = {"slug": "intranet", "domain": "intranet.example.com", "workers": WORKERS}
        for settings in ("prod", "stream"):
            with deployment.deployed(nginx, python, project, settings=f"intranet.settings.{settings}", **site) as up:
                client = up.client()
                client.log_in("alice", PASSWORD)
                cookie = f"sessionid={client.cookies['sessionid'].value}"
                check_download(up.client(), download, content, cookie)
                if settings == "prod":
                    check_download(up.client(), public, content)
                    results["a"] = wrk(up.base_url + download, cookie=cookie, **load)
                    results["c"] = wrk(up.base_url + public, **load)
                    results["home"] = wrk(up.base_url + "/", **load)
                else:
                    results["b"] = wrk(up.base_url + download, cookie=cookie, **load)
        bare = bare_project(python, Path(directory) / "bare")
        with deployment.deployed(
            nginx, python, project, settings="bare.settings", app="bare.wsgi:application", gunicorn_dir=bare, **site
        ) as up:
            if up.client().get("/").status != 200:
                raise processes.ServerError("the bare project's home page does not answer 200")
            results["bare"] = wrk(up.base_url + "/", **load)
    report = render(results, options)
    print(report)
    (REPO / "benchmarks" / "results").mkdir(exist_ok=True)
    (REPO / "benchmarks" / "results" / "downloads.md").write_text(report)


def render(results, options):
    rows = [
        ("(a) protected, nginx X-Accel-Redirect", results["a"]),
        ("(b) protected, streamed by Django/gunicorn", results["b"]),
        ("(c) plain nginx file (the limit)", results["c"]),
    ]
    lines = [
        f"10 MB file, {options.connections} connections, {options.duration} s each, HTTPS on loopback, "
        f"{WORKERS} gunicorn workers; {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}.",
        "",
        "| download | MB/s | req/s | median latency | p99 latency |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {name} | {r['mb_per_s']:.0f} | {r['requests']:.1f} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms |"
            for name, r in rows
        ),
        "",
        f"a/c = {results['a']['mb_per_s'] / results['c']['mb_per_s']:.2f}, "
        f"a/b = {results['a']['mb_per_s'] / results['b']['mb_per_s']:.2f} (throughput ratios)",
        "",
        "| home page through nginx + gunicorn | req/s | median latency | p99 latency |",
        "|---|---:|---:|---:|",
        *(
            f"| {name} | {r['requests']:.0f} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms |"
            for name, r in (("generated project", results["home"]), ("bare startproject", results["bare"]))
        ),
        "",
        f"generated/bare = {results['home']['requests'] / results['bare']['requests']:.2f} (requests per second)",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main(sys.argv[1:])
