"""manage.py access_import APP FOLDER: an export's rows into the app access_startapp made from it.

In one transaction and in the order the relationships need; running it again with the same export changes
nothing, with a newer one it adds and updates rows. The first bad row stops it and nothing is written.
"""

import zoneinfo
from collections import Counter

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from ...loading import BadRow, load_export


class Command(BaseCommand):
    help = "Imports an Access export (access_export) into the app made from it (access_startapp)."

    def add_arguments(self, parser):
        parser.add_argument("app", help="the app's label, e.g. registry")
        parser.add_argument("folder", help="the folder access_export wrote")
        parser.add_argument(
            "--time-zone",
            default=settings.TIME_ZONE,
            help="where Access's dates and times were entered: they have no time zone (default: TIME_ZONE)",
        )

    def handle(self, **options):
        try:
            app_config = apps.get_app_config(options["app"])
        except LookupError as error:
            raise CommandError(f"No installed app is labelled {options['app']!r}.") from error
        try:
            zone = zoneinfo.ZoneInfo(options["time_zone"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
            zone_name = options["time_zone"]
            raise CommandError(f"--time-zone {zone_name!r} is not a time zone such as Europe/Athens.") from error
        try:
            results = load_export(app_config, options["folder"], zone, stdout=self.stdout)
        except BadRow as error:
            raise CommandError(f"{str(error).rstrip('.')}; nothing was imported.") from error
        except IntegrityError as error:
            # A constraint the rows break together (a unique value twice): the database's first line says which.
            reason = str(error).strip().splitlines()[0]
            raise CommandError(f"The database refused the rows: {reason}; nothing was imported.") from error
        total = sum(results.values(), Counter())
        summary = ", ".join(f"{count:,} {word}" for word, count in total.items()) or "no rows"
        self.stdout.write(self.style.SUCCESS(f"Imported {len(results)} tables: {summary}."))
