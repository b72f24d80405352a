import itertools
import json
import os
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from envs import ensure_venv
from filelock import FileLock

REPO = Path(__file__).resolve().parent.parent
# The option rule: which files and lines belong to which option (read by the post-gen hook too).
OPTIONS = json.loads((REPO / "cookiecutter.json").read_text(encoding="utf-8"))["_options"]
# Every combination of the template's options; each is baked and fully checked.
COMBINATIONS = [
    dict(zip(OPTIONS, values, strict=True)) for values in itertools.product([True, False], repeat=len(OPTIONS))
]
ALL_OPTIONS_ON = dict.fromkeys(OPTIONS, True)
FILLED_LOCAL = 'SECRET_KEY = "{secret}"\nALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]\n'


def combination_id(combination):
    return "-".join(f"{name}={'on' if value else 'off'}" for name, value in combination.items())


def pytest_addoption(parser):
    parser.addoption(
        "--require-integration",
        action="store_true",
        default=os.environ.get("REQUIRE_INTEGRATION") == "1",
        help="fail instead of skipping when an integration test's program (nginx, PostgreSQL, Chromium) is missing",
    )


@pytest.fixture(scope="session")
def need(request):
    """need("nginx") -> the program's path; skips (or fails with --require-integration) when it is missing."""

    def find(program, *extra_dirs):
        path = shutil.which(program, path=os.pathsep.join([*map(str, extra_dirs), os.environ.get("PATH", "")]))
        if path is None:
            message = f"{program} is not installed"
            if request.config.getoption("--require-integration"):
                pytest.fail(f"{message}, and --require-integration forbids skipping", pytrace=False)
            pytest.skip(message)
        return path

    return find


@dataclass
class Project:
    """A baked project and the shared virtualenv that runs it."""

    path: Path
    python: Path
    options: dict

    @property
    def slug(self):
        return self.path.name

    def run(self, *arguments, settings=None, check=True, env=None, timeout=600):
        environment = {**os.environ, **(env or {})}
        environment.pop("DJANGO_SETTINGS_MODULE", None)
        if settings:
            environment["DJANGO_SETTINGS_MODULE"] = f"{self.slug}.settings.{settings}"
        result = subprocess.run(
            [str(self.python), *arguments],
            cwd=self.path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            pytest.fail(f"{' '.join(arguments)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def manage(self, *arguments, **kwargs):
        return self.run("manage.py", *arguments, **kwargs)

    def fill_local(self, extra=""):
        """A local.py as a uat/prod host would have it (the database stays SQLite unless ``extra`` says)."""
        local = self.path / self.slug / "settings" / "local.py"
        local.write_text(FILLED_LOCAL.format(secret=secrets.token_urlsafe(50)) + extra, encoding="utf-8")


def bake(cookies, **options):
    result = cookies.bake(extra_context=options)
    assert result.exit_code == 0, result.exception
    return result.project_path


@pytest.fixture(scope="session")
def baked_python(tmp_path_factory):
    """One virtualenv with every option's requirements, shared by all bakes and reused while they are unchanged."""
    path = REPO / ".cache" / "baked-venv"
    path.parent.mkdir(exist_ok=True)
    with FileLock(f"{path}.lock"):
        output = tmp_path_factory.mktemp("requirements")
        from cookiecutter.main import cookiecutter

        project = Path(cookiecutter(str(REPO), no_input=True, extra_context=ALL_OPTIONS_ON, output_dir=str(output)))
        requirements = project / "requirements"
        return ensure_venv(path, [requirements / "dev.txt", requirements / "prod.txt"])


@pytest.fixture(scope="module", params=COMBINATIONS, ids=combination_id)
def project(request, cookies_session, baked_python):
    return Project(bake(cookies_session, **request.param), baked_python, request.param)


@pytest.fixture
def default_project(cookies, baked_python):
    return Project(bake(cookies), baked_python, {})
