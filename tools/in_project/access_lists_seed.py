"""Run by the baked project's Python on PostgreSQL: fills an Access app's table with ROWS rows of Greek text.

    access_lists_seed.py APP MODEL ROWS

In SQL, as lists_seed.py fills the documents: each text field a surname, a first name or a trade (Greek),
with a number; dates over two centuries; numbers up to 10,000; relations and the audit users left empty.
Then VACUUM ANALYZE, as autovacuum would after a bulk load.
"""

import sys

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.db import connection, models  # noqa: E402

WORDS = [
    *("Παπαδόπουλος", "Γεωργίου", "Οικονόμου", "Νικολάου", "Δημητρίου", "Ιωάννου", "Κωνσταντίνου", "Βασιλείου"),
    *("Αντωνίου", "Μαυρίδης", "Αθανασίου", "Χριστοδούλου", "Πετρόπουλος", "Καραγιάννης", "Σπυρόπουλος"),
    *("Μαρία", "Ελένη", "Γεώργιος", "Ιωάννης", "Κωνσταντίνος", "Δημήτριος", "Αικατερίνη", "Νικόλαος"),
    *("έμπορος", "ράφτης", "ναυτικός", "δάσκαλος", "γιατρός", "σιδεράς", "αρτοποιός", "υφαντής"),
]


def expression(field):
    """The SQL of a value for ``field`` in a row numbered ``number``."""
    if isinstance(field, models.CharField | models.TextField):
        text = "(%(words)s::text[])[1 + floor(random() * %(count)s)::int] || ' ' || number"
        return f"left({text}, {field.max_length})" if field.max_length else text
    if isinstance(field, models.DateTimeField):
        return "now() - random() * interval '200 years'"
    if isinstance(field, models.DateField):
        return "(now() - random() * interval '200 years')::date"
    if isinstance(field, models.BooleanField):
        return "random() < 0.5"
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return "floor(random() * 10000)::int"
    return None


def main(app, model_name, rows):
    model = apps.get_model(app, model_name)
    columns, values = ["id"], ["number"]
    for field in model._meta.concrete_fields:
        if field.name in ("created_on", "modified_on"):
            columns.append(field.column)
            values.append("now()")
        elif not field.primary_key and not field.is_relation and (value := expression(field)) is not None:
            columns.append(field.column)
            values.append(value)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
            f"SELECT {', '.join(values)} FROM generate_series(1, %(rows)s) AS number",
            {"words": WORDS, "count": len(WORDS), "rows": rows},
        )
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{model._meta.db_table}', 'id'), %s)", [rows])
        cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
