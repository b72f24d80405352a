"""A development database where every page works at once: a superuser and each app's example data."""

import re
import secrets
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

USERNAME = "admin"
EXAMPLE_FIXTURE = "example_data"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def example_data_path(app_config):
    return Path(app_config.path) / "fixtures" / f"{EXAMPLE_FIXTURE}.json"


def is_development_database(settings_dict):
    """The project's SQLite file, or the cluster of ``python tasks.py db init`` in .pgdata/."""
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        name = str(settings_dict["NAME"])
        return name != ":memory:" and Path(name).resolve() == (Path(settings.BASE_DIR) / "db.sqlite3").resolve()
    cluster_conf = Path(settings.BASE_DIR) / ".pgdata" / "postgresql.conf"
    if settings_dict["ENGINE"] != "django.db.backends.postgresql" or not cluster_conf.exists():
        return False
    port = re.findall(r"^port = (\d+)", cluster_conf.read_text(encoding="utf-8"), re.MULTILINE)
    return settings_dict.get("HOST") in LOOPBACK and port[-1:] == [str(settings_dict.get("PORT"))]


class Command(BaseCommand):
    help = (
        f"Development only: create the superuser {USERNAME!r} (if missing) and add every app's "
        f"fixtures/{EXAMPLE_FIXTURE}.json rows (lookup rows such as categories) that are not there yet."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("dev_setup is for development databases only (DEBUG is off).")
        database = connections[DEFAULT_DB_ALIAS].settings_dict
        if not is_development_database(database):
            # manage.py defaults to the dev settings, which import the host's local.py: on a server, that
            # is the server's database, where a superuser with a printed password must never appear.
            raise CommandError(
                f"dev_setup runs on the project's development database only (db.sqlite3 or the cluster of "
                f"'python tasks.py db init'), not on {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}."
            )
        self.create_superuser()
        for app_config in apps.get_app_configs():
            if example_data_path(app_config).exists():
                self.add_example_data(app_config)

    def create_superuser(self):
        users = get_user_model().objects
        if users.filter(username=USERNAME).exists():
            self.stdout.write(f"The superuser {USERNAME!r} exists already; its password is unchanged.")
            return
        password = secrets.token_urlsafe(12)
        users.create_superuser(username=USERNAME, email="", password=password)
        self.stdout.write(f"Log in as {USERNAME} with the password {password} (development only).")

    def add_example_data(self, app_config):
        """Rows whose key and unique values are free are added; the others are left as they are."""
        added = kept = 0
        with example_data_path(app_config).open(encoding="utf-8") as fixture:
            for row in serializers.deserialize("json", fixture):
                try:
                    row.object.validate_unique()  # its primary key too
                except ValidationError:
                    kept += 1
                    continue
                row.save()
                added += 1
        self.stdout.write(
            f"Example data of {app_config.label}: {added} row{'s' * (added != 1)} added, "
            f"{kept} kept as {'they were' if kept != 1 else 'it was'}."
        )
