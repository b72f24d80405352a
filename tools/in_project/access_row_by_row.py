"""Run by the baked project's Python: the seed article's import loop, for comparison with access_import.

    access_row_by_row.py APP FOLDER ROWS

Creates the first ROWS rows of the app's first table with one ``objects.create()`` each (so one INSERT and
one history record per row), in one transaction, and prints the seconds it took.
"""

import json
import sys
import time
from pathlib import Path

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.db import transaction  # noqa: E402


def value(field, raw):
    """What the seed's loop would hand create(): empty text for NULL, dates without their midnight."""
    if raw is None:
        return None if field.null else ""
    if isinstance(raw, str) and raw.endswith("T00:00:00"):
        raw = raw[:10]
    return field.to_python(raw)


app, folder, count = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
config = apps.get_app_config(app)
table = json.loads(Path(config.path, "access.json").read_text(encoding="utf-8"))["tables"][0]
model = config.get_model(table["class_name"])
fields = {column["name"]: model._meta.get_field(column["field"]) for column in table["columns"] if column["field"]}
start = time.perf_counter()
with transaction.atomic(), (folder / table["data_file"]).open(encoding="utf-8") as lines:
    for _, line in zip(range(count), lines, strict=False):
        row = json.loads(line)
        model.objects.create(**{field.attname: value(field, row.get(name)) for name, field in fields.items()})
print(time.perf_counter() - start)
