"""The README's quickstart command: bake with the defaults, install, migrate and serve on 127.0.0.1."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import REPO


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_page(url, process, seconds=240):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"quickstart exited early with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except OSError:
            time.sleep(1)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def test_quickstart_bakes_migrates_and_serves(tmp_path):
    port = free_port()
    log = tmp_path / "quickstart.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                str(REPO / "tools" / "quickstart.py"),
                "--output-dir",
                str(tmp_path),
                "--port",
                str(port),
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            status, page = wait_for_page(f"http://127.0.0.1:{port}/", process)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    assert status == 200, log.read_text()
    assert "<title>Home · Intranet</title>" in page
    project = tmp_path / "intranet"
    assert (project / "db.sqlite3").exists()
    assert (project / ".venv").is_dir()


def test_quickstart_stops_when_the_project_already_exists(tmp_path):
    (tmp_path / "intranet").mkdir()
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "quickstart.py"), "--output-dir", str(tmp_path), "--no-server"],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "already exists" in result.stderr + result.stdout
    assert [path.name for path in tmp_path.iterdir()] == ["intranet"]


def test_virtualenv_stamp_covers_included_requirement_files(tmp_path):
    from envs import requirement_files_with_includes

    (tmp_path / "base.txt").write_text("Django\n")
    (tmp_path / "prod.txt").write_text("-r base.txt\ngunicorn\n")
    (tmp_path / "uat.txt").write_text("# UAT runs what production runs.\n-r prod.txt\n")
    found = requirement_files_with_includes([tmp_path / "uat.txt", tmp_path / "base.txt"])
    assert [path.name for path in found] == ["uat.txt", "base.txt", "prod.txt"]
