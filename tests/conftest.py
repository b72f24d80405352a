"""Fixtures: bakes of the template (tools/bake.py), the virtualenv they run in, the programs integration tests need."""

import os
import shutil

import pytest
from helpers import COMBINATIONS, REPO, Project, combination_id, selected_options

from tools.bake import bake as bake_into
from tools.bake import shared_python

# The browser and page fixtures of the end-to-end tests.
pytest_plugins = ["browser_fixtures"]

# A shell where a baked project's dovenv ran names that project's settings: every project, server and command
# the tests start names its own, and inherits this environment.
os.environ.pop("DJANGO_SETTINGS_MODULE", None)


def pytest_configure(config):
    # pytest-cookies' cookies fixture bakes this template, wherever pytest runs from.
    config.option.template = str(REPO)


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


@pytest.fixture(scope="session")
def baked_python():
    """The Python of the virtualenv every baked project runs in (.cache/baked-venv)."""
    return shared_python()


@pytest.fixture(scope="session")
def bake(tmp_path_factory):
    """bake(**answers) -> the folder of a project baked with those answers, the rest default."""
    return lambda **answers: bake_into(tmp_path_factory.mktemp("bake"), answers)


@pytest.fixture(scope="session")
def bake_project(bake, baked_python):
    """bake_project(**answers) -> a Project baked with those answers, ready to run in the shared virtualenv."""
    return lambda **answers: Project(bake(**answers), baked_python, selected_options(answers))


@pytest.fixture(scope="module", params=COMBINATIONS, ids=combination_id)
def project(request, bake_project):
    return bake_project(**request.param)


@pytest.fixture
def default_project(bake_project):
    return bake_project()
