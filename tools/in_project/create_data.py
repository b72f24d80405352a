"""Run by a baked project's Python: users alice and bob, and alice's protected document.

python create_data.py SOURCE_FILE STORED_NAME PASSWORD     (prints: <pk> <stored file name>)
"""

import os
import sys
from importlib import import_module

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402

package = os.environ["DJANGO_SETTINGS_MODULE"].split(".")[0]
acting_as = import_module(f"{package}.core.current_user").acting_as
documents = import_module(f"{package}.documents.models")

source, name, password = sys.argv[1:]
User = get_user_model()
alice = User.objects.create_user("alice", password=password)
User.objects.create_user("bob", password=password)
with acting_as(alice), open(source, "rb") as content:
    document = documents.Document(title="Payslip", category=documents.Category.objects.create(name="HR"))
    document.file.save(name, ContentFile(content.read()))
print(document.pk, document.file.name)
