"""manage.py personal_data: what the project keeps about a person, in one file, for their access request."""

import json
import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from ....core.identifiers import (
    SocialSecurityNumberField,
    TaxNumberField,
    validate_social_security_number,
    validate_tax_number,
)
from ....lists.export import add_sheet, xlsx_workbook
from ...search import Person, headings, personal_data


class Command(BaseCommand):
    help = (
        "Writes everything the project keeps about a person (GDPR Art. 15) to one .xlsx or .json file: the rows of "
        "every model that declares personal data and names them, and those rows' old versions."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="the file to write, .xlsx or .json; it must not exist yet")
        parser.add_argument("--user", help="the person's username here")
        parser.add_argument("--tax-number", default="", help="the person's tax number (ΑΦΜ)")
        parser.add_argument("--social-security-number", default="", help="the person's social security number (ΑΜΚΑ)")

    def handle(self, **options):
        # In the project's language: the person reads the file.
        with translation.override(settings.LANGUAGE_CODE):
            self.write(**options)

    def write(self, **options):
        output = Path(options["output"])
        if output.suffix.lower() not in {".xlsx", ".json"}:
            raise CommandError(f"{output} is neither an .xlsx nor a .json file.")
        person = Person(
            user=self.user(options["user"]),
            tax_number=number(options["tax_number"], TaxNumberField, validate_tax_number),
            social_security_number=number(
                options["social_security_number"], SocialSecurityNumberField, validate_social_security_number
            ),
        )
        if person == Person():
            raise CommandError("Name the person: --user, --tax-number or --social-security-number.")
        found = personal_data(person)
        request = [*person_terms(person), ("written on", timezone.localtime().isoformat(timespec="seconds"))]
        try:
            # Only the project's user may read it, whatever the umask: it is all about someone.
            descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CommandError(f"{output} exists already: name a new file.") from None
        with os.fdopen(descriptor, "wb") as file:
            if output.suffix.lower() == ".json":
                # For programs: the fields as the code names them.
                tables = {
                    title: [dict(zip(rows[0], row, strict=True)) for row in rows[1:]] for title, _, rows in found
                }
                document = {"request": dict(request), "tables": tables}
                file.write(json.dumps(document, ensure_ascii=False, indent=1, default=str).encode())
            else:
                # For people: the fields as the pages name them.
                workbook = xlsx_workbook("Personal data")
                add_sheet(workbook, "Request", iter([("request", "value"), *request]))
                for title, model, rows in found:
                    add_sheet(workbook, title, iter([headings(model, rows[0]), *rows[1:]]))
                workbook.save(file)
        count = sum(len(rows) - 1 for _, _, rows in found)
        self.stdout.write(f"Wrote {count} rows from {len(found)} tables to {output}.")

    def user(self, username):
        if username is None:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user here is named {username!r}.") from None


def number(typed, field_class, validate):
    """The compact form of a number typed as people type it, or a one-line refusal."""
    if not typed:
        return ""
    compact = field_class.compact(typed)
    try:
        validate(compact)
    except ValidationError as error:
        raise CommandError(f"{typed!r}: {' '.join(error.messages)}") from None
    return compact


def person_terms(person):
    if person.user:
        yield "user", person.user.get_username()
    if person.tax_number:
        yield "tax number (ΑΦΜ)", person.tax_number
    if person.social_security_number:
        yield "social security number (ΑΜΚΑ)", person.social_security_number
