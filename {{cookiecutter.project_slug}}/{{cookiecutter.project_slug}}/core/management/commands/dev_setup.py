"""A development database where every page works at once: a superuser and each app's example data."""

import secrets
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
EXAMPLE_FIXTURE = "example_data"


class Command(BaseCommand):
    help = (
        f"Development only: create the superuser {USERNAME!r} (if missing) and load every app's "
        f"fixtures/{EXAMPLE_FIXTURE}.json (lookup rows such as categories)."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("dev_setup is for development databases only (DEBUG is off).")
        self.create_superuser()
        for app_config in apps.get_app_configs():
            if (Path(app_config.path) / "fixtures" / f"{EXAMPLE_FIXTURE}.json").exists():
                call_command("loaddata", EXAMPLE_FIXTURE, app_label=app_config.label, verbosity=0)
                self.stdout.write(f"Example data of {app_config.label} loaded.")

    def create_superuser(self):
        users = get_user_model().objects
        if users.filter(username=USERNAME).exists():
            self.stdout.write(f"The superuser {USERNAME!r} exists already; its password is unchanged.")
            return
        password = secrets.token_urlsafe(12)
        users.create_superuser(username=USERNAME, email="", password=password)
        self.stdout.write(f"Log in as {USERNAME} with the password {password} (development only).")
