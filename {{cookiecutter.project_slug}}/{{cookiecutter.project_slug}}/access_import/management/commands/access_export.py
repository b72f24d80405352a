"""manage.py access_export FILE FOLDER: an Access database's tables, keys, relationships and rows, as JSON.

FOLDER gets description.json (what Access has and the models the app will have: review it, edit the Django
side if you like) and data/<table>.jsonl (one row per line). It is replaced when it exists.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...export import export
from ...readers import LANGUAGE_GUESS, AccessError, jet3_charset


class Command(BaseCommand):
    help = "Exports an Access database (.mdb, .accdb) to a folder: description.json and a JSON Lines file per table."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .mdb or .accdb file")
        parser.add_argument("folder", help="where to write the export, e.g. access/registry")
        parser.add_argument(
            "--charset",
            help="the code page of an Access 97 (JET3) file's text, e.g. CP1253 for Greek (default: "
            "MDB_JET3_CHARSET, else the one the file names, else the one of the project's language); later "
            "files are Unicode",
        )
        parser.add_argument(
            "--drop-unreadable-dates",
            action="store_true",
            help="leave empty the dates mdbtools cannot read (before 30 December 1899), instead of stopping",
        )

    def handle(self, **options):
        if options["charset"]:
            charset, why = options["charset"], "--charset"
        else:
            charset, why = jet3_charset(options["file"], settings.LANGUAGE_CODE)
        try:
            description = export(
                options["file"],
                options["folder"],
                charset=charset,
                charset_guessed=why == LANGUAGE_GUESS,
                drop_unreadable_dates=options["drop_unreadable_dates"],
                stdout=self.stdout,
            )
        except AccessError as error:
            raise CommandError(str(error)) from error
        if description["source"]["format"] == "JET3" and why != LANGUAGE_GUESS:
            self.stdout.write(f"An Access 97 file: its text was read as {charset}, {why} (--charset to change it).")
        for note in description["notes"]:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write(
            f"Wrote {options['folder']}/description.json and {len(description['tables'])} tables' rows. Review it, "
            f"then: python manage.py access_startapp NAME {options['folder']}"
        )
