"""The documents pages in Greek: the app's strings are translated in its own locale/el."""

import pytest
from django.urls import reverse

from ...core.tests.test_translations import greek_page

pytestmark = pytest.mark.django_db

ENGLISH = [
    *["Documents", "New document", "Title", "Category", "Created by", "Modified", "Download"],
    *["Filter", "Reset", "Reviewers", "Reviewer", "Role", "Due on", "Add", "Save", "Cancel", "Edit", "Delete"],
]


@pytest.mark.parametrize("name", ["list", "create", "detail", "update", "delete"])
def test_documents_pages_are_in_greek(alice_client, document, name):
    url = reverse(f"documents:{name}", args=[] if name in ("list", "create") else [document.pk])
    text = greek_page(alice_client, url).replace(document.title, "")
    assert [english for english in ENGLISH if english in text] == []
