"""The README's quickstart command: bake with the defaults, install, migrate and serve on 127.0.0.1."""

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest
from helpers import REPO

from tools.postgres import POSTGRES_BIN_DIRS
from tools.processes import free_port, http_answers, wait_until


def quickstart(*arguments):
    return [sys.executable, str(REPO / "tools" / "quickstart.py"), *arguments]


def log_in(base_url, username, password):
    """A urllib opener logged in through the login form, as a browser would."""
    cookies = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    opener.open(f"{base_url}/accounts/login/", timeout=10).read()
    token = next(cookie.value for cookie in cookies if cookie.name == "csrftoken")
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
    opener.open(f"{base_url}/accounts/login/", urllib.parse.urlencode(form).encode(), timeout=10).read()
    return opener


def test_quickstart_bakes_migrates_serves_with_a_user_and_data_then_reuses_the_bake(tmp_path):
    port, base_url = free_port(), None
    log = tmp_path / "quickstart.log"
    output_dir = tmp_path / "build"
    with log.open("w") as output:
        process = subprocess.Popen(
            quickstart("--output-dir", str(output_dir), "--port", str(port)),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            # The first run installs the project's requirements: give it time.
            wait_until(http_answers(f"{base_url}/"), process, log, timeout=240)
            with urllib.request.urlopen(f"{base_url}/", timeout=5) as response:
                page = response.read().decode()
            text = log.read_text()
            password = re.search(r"Log in as admin with the password (\S+)", text)[1]
            new_document = log_in(base_url, "admin", password).open(f"{base_url}/documents/new/", timeout=10)
            form = new_document.read().decode()
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    assert "<title>Home · Intranet</title>" in page
    assert re.search(r"\[1/4\].*\n.*done in", text), text
    assert "Next steps, from the folder you baked in" not in text  # the hook's advice, for hand bakes only
    assert ">Contracts</option>" in form
    project = output_dir / "intranet"
    assert (project / "db.sqlite3").exists()
    again = subprocess.run(quickstart("--output-dir", str(output_dir), "--no-server"), capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert "Reusing" in again.stdout and "Baking" not in again.stdout
    assert "exists already" in again.stdout
    assert [path.name for path in output_dir.iterdir()] == ["intranet"]


def test_quickstart_stops_when_the_project_already_exists(tmp_path):
    (tmp_path / "intranet").mkdir()
    result = subprocess.run(quickstart("--output-dir", str(tmp_path), "--no-server"), capture_output=True, text=True)
    assert result.returncode != 0
    assert "already exists" in result.stderr + result.stdout
    assert [path.name for path in tmp_path.iterdir()] == ["intranet"]


def test_virtualenv_stamp_covers_included_requirement_files(tmp_path):
    from tools.envs import requirement_files_with_includes

    (tmp_path / "base.txt").write_text("Django\n")
    (tmp_path / "prod.txt").write_text("-r base.txt\ngunicorn\n")
    (tmp_path / "uat.txt").write_text("# UAT runs what production runs.\n-r prod.txt\n")
    found = requirement_files_with_includes([tmp_path / "uat.txt", tmp_path / "base.txt"])
    assert [path.name for path in found] == ["uat.txt", "base.txt", "prod.txt"]


@pytest.mark.integration
def test_the_lists_benchmark_runs_at_a_small_size(need, tmp_path):
    """The benchmark is not run here, only kept working: every request it times answers 200 (it checks)."""
    need("initdb", *POSTGRES_BIN_DIRS)
    command = [sys.executable, "-m", "benchmarks.lists", "--sizes", "100", "300", "--requests", "1"]
    result = subprocess.run([*command, "--output", tmp_path / "lists.md"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Query counts are the same at every size." in result.stdout
    assert "| title filter, table only (Unpoly) |" in (tmp_path / "lists.md").read_text()


def test_a_settings_module_left_in_the_shell_reaches_no_test_or_process_it_starts():
    """dovenv sets DJANGO_SETTINGS_MODULE for a baked project; a shell where it ran then runs this suite, whose
    servers and commands start with the environment of the tests (the conftest leaves it out)."""
    probe = f"{__file__}::test_the_tests_run_without_a_settings_module_of_the_shell"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", probe],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "intranet.settings.dev"},
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_the_tests_run_without_a_settings_module_of_the_shell():
    assert "DJANGO_SETTINGS_MODULE" not in os.environ
