"""The settings layout: local.py > environment module > base.py, and loud failures."""

import importlib
import shutil
import sys
from email.header import decode_header, make_header
from email.utils import parseaddr
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail

from ..testing import sends_mail

SETTINGS_DIR = Path(__file__).resolve().parents[2] / "settings"


@pytest.fixture
def settings_copy(tmp_path, monkeypatch):
    """A private copy of the settings package, importable under a unique name, without local.py."""
    package = f"settings_copy_{tmp_path.name.replace('-', '_')}"
    shutil.copytree(SETTINGS_DIR, tmp_path / package, ignore=shutil.ignore_patterns("local.py", "__pycache__"))
    monkeypatch.syspath_prepend(str(tmp_path))

    def load(environment, local_source=None):
        if local_source is not None:
            (tmp_path / package / "local.py").write_text(local_source, encoding="utf-8")
        return importlib.import_module(f"{package}.{environment}")

    yield load
    for name in [name for name in sys.modules if name.startswith(package)]:
        del sys.modules[name]


@pytest.mark.parametrize("environment", ["dev", "test", "uat", "prod"])
def test_local_overrides_environment_and_base(settings_copy, environment):
    settings = settings_copy(environment, 'SECRET_KEY = "from-local"\nDEBUG = "from-local"\nTIME_ZONE = "UTC"\n')
    assert settings.SECRET_KEY == "from-local"
    assert settings.DEBUG == "from-local"
    assert settings.TIME_ZONE == "UTC"


def test_environment_overrides_base(settings_copy):
    base = settings_copy("base")
    dev = settings_copy("dev")
    assert base.DEBUG is False
    assert dev.DEBUG is True
    assert dev.SENDFILE_BACKEND != base.SENDFILE_BACKEND


def test_uat_keeps_local_last(settings_copy):
    settings = settings_copy("uat", 'SECRET_KEY = "k"\nSECURE_HSTS_SECONDS = 5\n')
    assert settings.SECURE_HSTS_SECONDS == 5


def test_dev_runs_without_local(settings_copy):
    assert settings_copy("dev").DEBUG is True


@pytest.mark.parametrize("environment", ["uat", "prod"])
def test_a_hung_mail_server_holds_a_request_for_less_than_gunicorn_lets_it_run(settings_copy, environment):
    gunicorn_timeout = 30  # deploy/gunicorn.conf.py keeps gunicorn's default
    assert 0 < settings_copy(environment, 'SECRET_KEY = "k"\n').EMAIL_TIMEOUT < gunicorn_timeout


@pytest.mark.parametrize("environment", ["uat", "prod"])
def test_deployed_environments_refuse_to_start_without_secret_key(settings_copy, environment):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is empty"):
        settings_copy(environment)


@pytest.mark.parametrize("environment", ["dev", "test", "uat", "prod"])
def test_broken_local_fails_loudly(settings_copy, environment):
    with pytest.raises(ModuleNotFoundError, match="no_such_module"):
        settings_copy(environment, 'SECRET_KEY = "k"\nimport no_such_module\n')


def test_local_with_syntax_error_fails_loudly(settings_copy):
    with pytest.raises(SyntaxError):
        settings_copy("prod", "SECRET_KEY = \n")


@sends_mail
def test_mail_goes_out_from_the_project_name_whatever_it_holds(settings, mailoutbox):
    """DEFAULT_FROM_EMAIL is built with formataddr(), so commas, quotes and Greek letters survive the headers."""
    send_mail("Subject", "Body", None, ["someone@example.com"])
    (sent,) = mailoutbox
    name, address = parseaddr(str(make_header(decode_header(sent.message()["From"]))))
    assert name == settings.PROJECT_NAME
    assert address.startswith("noreply@")
