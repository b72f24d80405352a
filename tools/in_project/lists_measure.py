"""Run by the baked project's Python after lists_seed.py: times each list request in-process, prints JSON.

    lists_measure.py REQUESTS

Every case is requested 3 times to warm up, then REQUESTS times, taking turns case by case so drift hits
all alike. For each: the samples (seconds), the queries of one request and its response's bytes.
"""

import json
import sys
import time

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from intranet.documents.models import Category, Document  # noqa: E402
from intranet.users.models import User  # noqa: E402

# What Unpoly 3 sends when instant filtering replaces the table.
TABLE_ONLY = {"X-Up-Version": "3.12.1", "X-Up-Target": ".table-container", "X-Up-Mode": "root"}


def cases():
    documents = reverse("documents:list")
    category = Category.objects.order_by("pk").values_list("pk", flat=True)[2]
    first = Document.objects.order_by("pk").values_list("pk", flat=True)[0]
    deep_page = min(1000, Document.objects.count() // 25)  # 10,000 rows have 400 pages
    return {
        "list, page 1": ("admin", documents, {}, {}),
        "list, a clerk's own rows": ("clerk01", documents, {}, {}),
        "title filter, a word (~4 % of rows)": ("admin", documents, {"title": "μίσθωση"}, {}),
        "title filter, a number (a few rows)": ("admin", documents, {"title": "4711"}, {}),
        "category filter": ("admin", documents, {"category": category}, {}),
        "sort by title": ("admin", documents, {"sort": "title"}, {}),
        "sort by title, descending": ("admin", documents, {"sort": "-title"}, {}),
        "sort by modified": ("admin", documents, {"sort": "modified_on"}, {}),
        "sort by modified, descending": ("admin", documents, {"sort": "-modified_on"}, {}),
        "page 1000 (or the last)": ("admin", documents, {"page": deep_page}, {}),
        "detail, 10 reviews": ("admin", reverse("documents:detail", args=[first]), {}, {}),
        "title filter, table only (Unpoly)": ("admin", documents, {"title": "μίσθωση"}, TABLE_ONLY),
    }


def main(requests):
    print(json.dumps(measure(cases(), requests)))


def measure(requested, requests):
    """{case: its samples, queries, bytes and rows} of each of ``requested``, {name: (username, path, query,
    headers)}: 3 requests to warm up, then ``requests`` timed, case after case."""
    clients = {}
    for username in {username for username, *_ in requested.values()}:
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    measured = {name: {"samples": []} for name in requested}
    for name, (username, path, query, headers) in requested.items():
        for _ in range(3):
            response = clients[username].get(path, query, headers=headers)
            assert response.status_code == 200, (name, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            response = clients[username].get(path, query, headers=headers)
        measured[name].update(queries=len(queries), bytes=len(response.content), rows=response.text.count("<tr"))
    for _ in range(requests):
        for name, (username, path, query, headers) in requested.items():
            start = time.perf_counter()
            clients[username].get(path, query, headers=headers)
            measured[name]["samples"].append(time.perf_counter() - start)
    return measured


if __name__ == "__main__":
    main(int(sys.argv[1]))
