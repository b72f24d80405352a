"""Run by the baked project's Python after lists_seed.py: the cost of the change history per save, as JSON.

    history_measure.py SAVES ROUNDS

Saves SAVES documents (a changed title each, as their owner), once with the history and once without
(``skip_history_when_saving``, django-simple-history's switch), taking turns ROUNDS times so drift hits
both alike. Prints each round's seconds per save for both.
"""

import json
import sys
import time

import django

django.setup()

from intranet.core.current_user import acting_as  # noqa: E402
from intranet.documents.models import Document  # noqa: E402


def seconds_per_save(documents, with_history):
    start = time.perf_counter()
    for document in documents:
        with acting_as(document.created_by):
            document.title = document.title[:190] + "!"
            if with_history:
                document.save()
            else:
                document.skip_history_when_saving = True
                document.save()
                del document.skip_history_when_saving
    return (time.perf_counter() - start) / len(documents)


def main(saves, rounds):
    documents = list(Document.objects.select_related("created_by").order_by("pk")[:saves])
    measured = {"with history": [], "without history": []}
    history_before = Document.history.count()
    for _ in range(rounds):
        measured["with history"].append(seconds_per_save(documents, with_history=True))
        measured["without history"].append(seconds_per_save(documents, with_history=False))
    assert Document.history.count() - history_before == saves * rounds, "a save with history records one row"
    print(json.dumps(measured))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
