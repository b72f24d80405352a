"""The documents list: a django-tables2 table that sorts and pages, under a django-filter form."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ...core.testing import HOSTILE_LIST_QUERIES, assert_list_survives, assert_query_count_does_not_grow
from ..models import Category, Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(make_document, user, category):
    invoices = Category.objects.create(name="Invoices")
    make_document(user, title="Lease 2026")
    make_document(user, title="Power bill", category=invoices)
    make_document(user, title="Lease 2025")
    return invoices


def titles(response):
    return [row.record.title for row in response.context["table"].page.object_list]


def test_filtering_by_title_and_category(alice_client, documents):
    url = reverse("documents:list")
    assert sorted(titles(alice_client.get(url, {"title": "lease"}))) == ["Lease 2025", "Lease 2026"]
    assert titles(alice_client.get(url, {"category": documents.pk})) == ["Power bill"]
    assert titles(alice_client.get(url, {"title": "lease", "category": documents.pk})) == []


def test_sorting_by_a_column_header(alice_client, documents):
    url = reverse("documents:list")
    assert titles(alice_client.get(url, {"sort": "title"})) == ["Lease 2025", "Lease 2026", "Power bill"]
    assert titles(alice_client.get(url, {"sort": "-title"})) == ["Power bill", "Lease 2026", "Lease 2025"]
    page = alice_client.get(url, {"title": "lease"}).text
    assert 'href="?title=lease&amp;sort=title"' in page  # sorting keeps the filter


def test_the_newest_change_comes_first_and_pages_hold_25(alice_client, user, make_document):
    for index in range(27):
        make_document(user, title=f"Document {index:02}")
    first = alice_client.get(reverse("documents:list"))
    assert titles(first)[:2] == ["Document 26", "Document 25"] and len(titles(first)) == 25
    assert titles(alice_client.get(reverse("documents:list"), {"page": 2})) == ["Document 01", "Document 00"]


def test_a_filtered_sorted_list_costs_the_same_queries_for_1_or_50_rows(alice_client, user, make_document):
    url = reverse("documents:list") + "?title=lease&sort=title"
    assert_query_count_does_not_grow(alice_client, url, lambda: make_document(user, title="Lease"))


@pytest.mark.parametrize("query", HOSTILE_LIST_QUERIES)
def test_any_query_string_gives_a_page_not_a_server_error(alice_client, documents, query):
    assert_list_survives(alice_client, reverse("documents:list"), query)


def test_a_text_filter_longer_than_its_limit_is_a_form_error(alice_client, documents):
    response = alice_client.get(reverse("documents:list"), {"title": "x" * 50_000})
    assert "title" in response.context["filter"].form.errors


def test_the_list_never_counts_the_table(alice_client, documents):
    with CaptureQueriesContext(connection) as queries:
        alice_client.get(reverse("documents:list"), {"title": "lease"})
    assert not [query["sql"] for query in queries if "COUNT(" in query["sql"]]


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite sorts by code point and has no trigram index (docs/guidelines.md: Lists that stay fast)",
)


@on_postgresql
def test_titles_sort_alphabetically_whatever_their_accents_and_case(alice_client, user, make_document):
    for title in ["Άρθρο", "Έβδομο", "Αλφα", "Εβδομάδα", "Ζήτα", "Ωδή", "αβγ"]:
        make_document(user, title=title)
    response = alice_client.get(reverse("documents:list"), {"sort": "title"})
    assert titles(response) == ["αβγ", "Αλφα", "Άρθρο", "Εβδομάδα", "Έβδομο", "Ζήτα", "Ωδή"]


@on_postgresql
def test_the_title_filter_is_served_by_the_trigram_index(documents):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows would be scanned otherwise
    plan = Document.objects.filter(title__icontains="μίσθωση").explain()
    assert "documents_title_contains" in plan
