"""The README's quickstart command: bake with the defaults, install, migrate and serve on 127.0.0.1."""

import os
import signal
import subprocess
import sys
import urllib.request

from conftest import REPO
from servers import free_port, http_answers, wait_until


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
            # The first run installs the project's requirements: give it time.
            wait_until(http_answers(f"http://127.0.0.1:{port}/"), process, log, timeout=240)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                page = response.read().decode()
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
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
