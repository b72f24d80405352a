"""Run by the baked project's Python: times the documents list in-process and prints JSON."""

import json
import sys
import time

import django

django.setup()

from django.test import Client  # noqa: E402
from intranet.users.models import User  # noqa: E402

client = Client(HTTP_HOST="localhost")
client.force_login(User.objects.get(username="bench"))
count = int(sys.argv[1])
for _ in range(5):
    assert client.get("/documents/").status_code == 200
samples = []
for _ in range(count):
    start = time.perf_counter()
    response = client.get("/documents/")
    samples.append(time.perf_counter() - start)
assert response.status_code == 200 and response.text.count("<tr") > 25
print(json.dumps({"samples": samples, "toolbar": 'id="djDebug"' in response.text}))
