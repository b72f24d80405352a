"""Run by the baked project's Python after lists_seed.py: times list downloads in-process, prints JSON.

    exports_measure.py REQUESTS

Each case is requested once, untimed, to count its rows and bytes and the peak of the memory Python
allocated while answering it (tracemalloc, which slows it), then REQUESTS times, timed.
"""

import io
import json
import sys
import time
import tracemalloc

import django

django.setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from intranet.users.models import User  # noqa: E402
from openpyxl import load_workbook  # noqa: E402


def cases():
    documents = reverse("documents:list")
    return {
        "list, page 1 (HTML)": (documents, {}),
        "CSV, every row": (documents, {"export": "csv"}),
        "Excel, every row": (documents, {"export": "xlsx"}),
        "Excel, title filter (~4 % of rows)": (documents, {"export": "xlsx", "title": "μίσθωση"}),
    }


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def rows_in(name, content):
    if name.startswith("Excel"):
        return sum(1 for _ in load_workbook(io.BytesIO(content), read_only=True).active.iter_rows()) - 1
    if name.startswith("CSV"):
        return content.count(b"\n") - 1
    return content.count(b"<tr") - 1


def main(requests):
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    measured = {}
    for name, (path, query) in cases().items():
        tracemalloc.start()
        content = body(client.get(path, query))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        measured[name] = {"samples": [], "bytes": len(content), "rows": rows_in(name, content)}
        measured[name]["peak_mb"] = peak / 2**20
        for _ in range(requests):
            start = time.perf_counter()
            body(client.get(path, query))
            measured[name]["samples"].append(time.perf_counter() - start)
    print(json.dumps(measured))


if __name__ == "__main__":
    main(int(sys.argv[1]))
