"""Run by the baked project's Python: a user with a full page of documents to list."""

import sys

import django

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from intranet.core.current_user import acting_as  # noqa: E402
from intranet.documents.models import Category, Document  # noqa: E402
from intranet.users.models import User  # noqa: E402

rows = int(sys.argv[1])
user = User.objects.create_user("bench", password="unused-password")
category = Category.objects.create(name="Reports")
with acting_as(user):
    for number in range(rows):
        Document.objects.create(title=f"Report {number}", category=category, file=ContentFile(b"x", name="r.txt"))
