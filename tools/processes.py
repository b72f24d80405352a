"""Processes the tests and benchmarks start on loopback: waiting for them, probing them, stopping them.

Standard library only, like the rest of the server helpers (tools/nginx.py, tools/deployment.py,
tools/http_client.py, tools/postgres.py): the benchmarks run them from any Python 3.11+.
"""

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path


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


def stop_pid(pid_file, timeout=15):
    """Stop the process ``pid_file`` names, if it still runs (it is not ours to wait for)."""
    try:
        pid = int(Path(pid_file).read_text())
        os.kill(pid, signal.SIGTERM)
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return
    deadline = time.monotonic() + timeout
    while runs(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def runs(pid):
    """Whether the process runs: a zombie, which only waits for its parent to reap it, does not."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False


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
