"""The project's table base: pages without counting a huge table, at most max_per_page rows."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tables2 import RequestConfig
from django_tables2.templatetags.django_tables2 import table_page_range

from ..tables import CountLimitPaginator, Table
from .models import Note

pytestmark = pytest.mark.django_db


class NoteTable(Table):
    class Meta:
        model = Note
        fields = ["title"]
        order_by = ["title"]


@pytest.fixture
def notes():
    Note.objects.bulk_create(Note(title=f"Note {number:02}") for number in range(12))


@pytest.fixture
def count_limit(monkeypatch):
    monkeypatch.setattr(CountLimitPaginator, "count_limit", 5)


def page_of(query, per_page=2):
    table = NoteTable(Note.objects.all())
    with CaptureQueriesContext(connection) as queries:
        RequestConfig(RequestFactory().get("/", query), paginate={"per_page": per_page}).configure(table)
        numbers = list(table.page.object_list)
    return table, [row.record.title for row in numbers], [query["sql"] for query in queries]


def test_below_the_count_limit_the_last_page_is_known(notes):
    table, titles, sql = page_of({"page": 3})
    assert titles == ["Note 04", "Note 05"]
    assert table.paginator.num_pages == 6 and table.paginator.is_last_page(6)
    (count,) = [statement for statement in sql if "COUNT(" in statement]
    assert "LIMIT 10001" in count


def test_orphans_join_the_last_page_as_with_djangos_paginator(notes):
    table = NoteTable(Note.objects.all())
    RequestConfig(RequestFactory().get("/", {"page": 3}), paginate={"per_page": 5, "orphans": 2}).configure(table)
    assert table.paginator.num_pages == 2 and len(table.page.object_list) == 7


def test_past_the_count_limit_pages_go_on_without_a_total(notes, count_limit):
    table, titles, sql = page_of({"page": 5})
    assert titles == ["Note 08", "Note 09"]
    assert table.paginator.num_pages == 6 and not table.paginator.is_last_page(6)
    (count,) = [statement for statement in sql if "COUNT(" in statement]
    assert "LIMIT 6" in count
    assert page_of({"page": 6})[1] == ["Note 10", "Note 11"]


def test_past_the_count_limit_the_pager_shows_the_pages_known_and_ends_in_an_ellipsis(notes, monkeypatch, settings):
    settings.DJANGO_TABLES2_PAGE_RANGE = 3
    monkeypatch.setattr(CountLimitPaginator, "count_limit", 7)  # 8 rows counted: 4 pages of 2 known to exist
    table = page_of({"page": 1})[0]
    assert table_page_range(table.page, table.paginator) == [1, "...", 4, "..."]
    table = page_of({"page": 6})[0]
    assert table_page_range(table.page, table.paginator) == [1, "...", 6] and table.paginator.is_last_page(6)


def test_a_page_past_the_end_shows_the_last_page_or_past_the_limit_the_furthest_known(notes, monkeypatch):
    monkeypatch.setattr(CountLimitPaginator, "count_limit", 100)
    assert page_of({"page": 99})[1] == ["Note 10", "Note 11"]
    monkeypatch.setattr(CountLimitPaginator, "count_limit", 5)  # 6 rows counted: pages 1 to 3 exist
    assert page_of({"page": 99})[1] == ["Note 04", "Note 05"]


def test_a_view_may_still_choose_its_own_paginator(notes):
    class CountingPaginator(Paginator):
        pass

    table = NoteTable(Note.objects.all())
    RequestConfig(RequestFactory().get("/"), paginate={"per_page": 5, "paginator_class": CountingPaginator}).configure(
        table
    )
    assert type(table.paginator) is CountingPaginator and table.paginator.count == 12
