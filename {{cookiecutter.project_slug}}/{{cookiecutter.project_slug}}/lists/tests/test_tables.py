"""The project's table base: pages without counting the table, at most max_per_page rows; its markup."""

import django_tables2 as tables
import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tables2 import RequestConfig
from django_tables2.templatetags.django_tables2 import table_page_range

from ...core.tests.models import Note
from ..tables import LazyPaginator, Table

pytestmark = pytest.mark.django_db


class NoteTable(Table):
    class Meta:
        model = Note
        fields = ["title"]
        order_by = ["title"]


@pytest.fixture
def notes():
    Note.objects.bulk_create(Note(title=f"Note {number:02}") for number in range(12))


def page_of(query, per_page=2, **paginate):
    table = NoteTable(Note.objects.all())
    with CaptureQueriesContext(connection) as queries:
        RequestConfig(RequestFactory().get("/", query), paginate={"per_page": per_page, **paginate}).configure(table)
        titles = [row.record.title for row in table.page.object_list]
    return table, titles, [query["sql"] for query in queries]


def test_a_page_is_one_query_and_no_count(notes):
    table, titles, sql = page_of({"page": 3})
    assert type(table.paginator) is LazyPaginator
    assert titles == ["Note 04", "Note 05"]
    assert len(sql) == 1 and "COUNT(" not in sql[0]


def test_the_pager_shows_the_next_page_and_an_ellipsis_until_the_last(notes, settings):
    settings.DJANGO_TABLES2_PAGE_RANGE = 3
    table = page_of({"page": 3})[0]
    assert table_page_range(table.page, table.paginator)[-2:] == [4, "..."] and table.page.has_next()
    table = page_of({"page": 6})[0]
    assert table_page_range(table.page, table.paginator)[-1] == 6 and not table.page.has_next()


def test_orphans_join_the_last_page(notes):
    table, titles, _ = page_of({"page": 2}, per_page=5, orphans=2)
    assert len(titles) == 7 and not table.page.has_next()


@pytest.mark.parametrize("number", ["99", "99999999999999999999", "-1", "abc"])
def test_a_page_that_does_not_exist_shows_the_first(notes, number):
    assert page_of({"page": number})[1] == ["Note 00", "Note 01"]


def test_a_view_may_still_choose_its_own_paginator(notes):
    class CountingPaginator(Paginator):
        pass

    table = page_of({}, per_page=5, paginator_class=CountingPaginator)[0]
    assert type(table.paginator) is CountingPaginator and table.paginator.count == 12


class MarkedNoteTable(NoteTable):
    title = tables.Column(attrs={"td": {"class": "text-end"}})

    class Meta(NoteTable.Meta):
        fields = ["title", "created_on"]


def html_of(query, table_class=MarkedNoteTable):
    request = RequestFactory().get("/", query)
    table = table_class(Note.objects.all())
    RequestConfig(request, paginate={"per_page": 2}).configure(table)
    return table.as_html(request)


def test_the_sorted_column_is_marked_for_every_reader(notes):
    html = html_of({"sort": "-title"})
    assert html.count("aria-sort=") == 1
    assert 'aria-sort="descending"' in html and "↓" in html
    assert 'aria-sort="ascending"' in html_of({"sort": "created_on"})


def test_a_cell_takes_the_attributes_of_its_column_only(notes):
    html = html_of({})
    assert html.count('<td class="text-end">') == 2
    assert html.count("<td>") == 2


def test_the_pager_marks_the_current_page_and_what_it_does_not_know(notes, settings):
    html = html_of({"page": 3})
    assert '<span class="page-link" aria-current="page">3</span>' in html and 'href="?page=4"' in html
    settings.DJANGO_TABLES2_PAGE_RANGE = 3
    assert '<span class="page-link">…</span>' in html_of({"page": 3})
