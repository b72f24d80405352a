"""Run by the baked project's Python after lists_seed.py and access_lists_seed.py: times the list of an Access
app's table beside the documents list, in one run, case after case (lists_measure.measure); prints JSON.

    access_lists_measure.py REQUESTS APP MODEL

Then the plan PostgreSQL chooses for the Access list's "contains" filter (EXPLAIN ANALYZE).
"""

import importlib
import json
import sys

import django
import django_filters

django.setup()

from django.apps import apps  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402
from lists_measure import measure  # noqa: E402

WORD, RARE = "Οικονόμου", "12345"


def main(requests, app, model_name):
    model = apps.get_model(app, model_name)
    url_name = f"{app}:{model._meta.model_name}_"
    filters = importlib.import_module(f"{apps.get_app_config(app).name}.filters")
    base_filters = getattr(filters, f"{model_name}Filter").base_filters
    search = next(name for name, found in base_filters.items() if isinstance(found, django_filters.CharFilter))
    documents, table = reverse("documents:list"), reverse(url_name + "list")
    deep_page = min(1000, model.objects.count() // 25)
    requested = {
        "documents: page 1": ("admin", documents, {}, {}),
        "documents: title contains a word": ("admin", documents, {"title": "μίσθωση"}, {}),
        "documents: page 1000": ("admin", documents, {"page": deep_page}, {}),
        "Access table: page 1": ("admin", table, {}, {}),
        f"Access table: {search} contains a word (~3 % of rows)": ("admin", table, {search: WORD}, {}),
        f"Access table: {search} contains a number (a few rows)": ("admin", table, {search: RARE}, {}),
        "Access table: sort by id, descending": ("admin", table, {"sort": "-id"}, {}),
        "Access table: page 1000": ("admin", table, {"page": deep_page}, {}),
        "Access table: a row": ("admin", reverse(url_name + "detail", args=[deep_page * 25]), {}, {}),
    }
    measured = measure(requested, requests)
    plans = {}
    for text in (WORD, RARE):
        rows = model.objects.filter(**{f"{search}__icontains": text}).order_by("id")[:25]
        sql, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
            plans[text] = [line for (line,) in cursor.fetchall()]
    print(json.dumps({"measured": measured, "plans": plans}))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3])
