"""manage.py dev_setup: a development database where every page works at once."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_creates_a_superuser_and_prints_how_to_log_in(settings, capsys):
    settings.DEBUG = True
    call_command("dev_setup")
    output = capsys.readouterr().out
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    password = output.split("password ")[1].split()[0]
    assert user.check_password(password)


def test_a_second_run_keeps_the_superuser_and_its_password(settings, capsys):
    settings.DEBUG = True
    call_command("dev_setup")
    password_hash = get_user_model().objects.get(username="admin").password
    call_command("dev_setup")
    assert get_user_model().objects.get(username="admin").password == password_hash
    assert "already" in capsys.readouterr().out


def test_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("dev_setup")
    assert not get_user_model().objects.exists()
