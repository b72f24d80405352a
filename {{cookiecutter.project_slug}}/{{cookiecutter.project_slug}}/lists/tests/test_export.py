import csv
import datetime
import io

import django_filters
import django_tables2 as tables
import pytest
from django.test import RequestFactory
from django.utils import timezone, translation
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from openpyxl import load_workbook

from ...core.tests.models import Note
from ..export import ExportMixin
from ..filters import FilterSet
from ..tables import DateTimeColumn, Table

pytestmark = pytest.mark.django_db


class NoteTable(Table):
    title = tables.Column(verbose_name="Τίτλος")
    modified_on = DateTimeColumn(verbose_name="Τροποποίηση")
    hidden = tables.Column(accessor="pk", exclude_from_export=True)

    class Meta:
        model = Note
        fields = ["title", "modified_on"]
        order_by = ["title"]


class NoteFilter(FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Note
        fields = ["title"]


class NoteListView(ExportMixin, SingleTableMixin, FilterView):
    model = Note
    table_class = NoteTable
    filterset_class = NoteFilter
    table_pagination = {"per_page": 2}
    template_name = "table.html"


def export(query, user=None):
    request = RequestFactory().get("/notes/", query)
    if user:
        request.user = user
    return NoteListView.as_view()(request)


def spreadsheet(response):
    return [list(row) for row in load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values]


@pytest.fixture
def notes():
    for title in ["Γάμμα", "Άλφα", "Βήτα", "Δέλτα", "άλλο"]:
        Note.objects.create(title=title)


def test_the_spreadsheet_holds_every_page_filtered_and_sorted_with_greek_text_and_real_dates(notes):
    response = export({"export": "xlsx", "title": "α", "sort": "-title", "page": "2"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    header, *rows = spreadsheet(response)
    assert header == ["Τίτλος", "Τροποποίηση"]
    expected = Note.objects.filter(title__icontains="α").order_by("-title")
    assert [title for title, _ in rows] == [note.title for note in expected]
    assert isinstance(rows[0][1], datetime.datetime)
    local_time = timezone.localtime(expected[0].modified_on).replace(tzinfo=None)
    assert abs(rows[0][1] - local_time) < datetime.timedelta(seconds=1)


def test_the_spreadsheet_says_its_title_language_and_header_row(notes):
    """For screen readers and print: the title and language in its properties, the header row an Excel
    table's (each cell read with its column's name), frozen on screen and printed on every page."""
    with translation.override("el"):
        response = export({"export": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert (workbook.properties.title, workbook.properties.language) == (str(Note._meta.verbose_name_plural), "el")
    sheet = workbook.active
    assert sheet.freeze_panes == "A2" and sheet.print_title_rows == "$1:$1"
    (table,) = sheet.tables.values()
    assert table.ref == f"A1:B{Note.objects.count() + 1}"
    assert [column.name for column in table.tableColumns] == ["Τίτλος", "Τροποποίηση"]


def test_text_that_looks_like_a_formula_stays_text(notes):
    Note.objects.create(title='=HYPERLINK("http://evil.example","click")')
    rows = spreadsheet(export({"export": "xlsx", "title": "HYPERLINK"}))
    assert rows[1][0] == '=HYPERLINK("http://evil.example","click")'
    book = load_workbook(io.BytesIO(b"".join(export({"export": "xlsx", "title": "HYPERLINK"}).streaming_content)))
    assert book.active["A2"].data_type == "s"
    lines = b"".join(export({"export": "csv", "title": "HYPERLINK"}).streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(lines)))[1][0].startswith("'=")


def test_control_characters_pasted_from_word_leave_the_spreadsheet_and_nothing_else(notes):
    """Excel's file format cannot hold them (openpyxl refuses the whole file); tabs and line breaks it can."""
    Note.objects.create(title="Πρακτικό\x0bσυνεδρίασης\x1b[0m\tτέλος\nνέα γραμμή")
    rows = spreadsheet(export({"export": "xlsx", "title": "Πρακτικό"}))
    assert rows[1][0] == "Πρακτικόσυνεδρίασης[0m\tτέλος\nνέα γραμμή"


@pytest.mark.parametrize(("language", "delimiter"), [("el", ";"), ("en", ",")])
def test_csv_opens_in_the_spreadsheet_of_the_projects_language(notes, language, delimiter):
    with translation.override(language):
        body = b"".join(export({"export": "csv", "sort": "title"}).streaming_content)
    assert body.startswith("\ufeff".encode())  # Excel reads UTF-8 as UTF-8 only after a byte order mark
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))
    assert rows[0] == ["Τίτλος", "Τροποποίηση"]
    assert [row[0] for row in rows[1:]] == list(Note.objects.order_by("title").values_list("title", flat=True))
    assert datetime.datetime.strptime(rows[1][1], "%Y-%m-%d %H:%M")


def test_a_list_longer_than_the_limit_says_so_in_the_file(notes, settings):
    settings.EXPORT_MAX_ROWS = 3
    rows = spreadsheet(export({"export": "xlsx"}))
    assert len(rows) == 1 + 3 + 1
    assert "3" in rows[-1][0] and rows[-1][1] is None


def test_one_download_at_a_time_per_person(notes, django_user_model):
    """A large file takes a worker for seconds: nobody holds every worker with a few clicks."""
    alice, bob = (django_user_model.objects.create_user(name) for name in ("alice", "bob"))
    lines = iter(export({"export": "csv"}, alice).streaming_content)
    next(lines)  # the download has started, the rest is still to come
    refused = export({"export": "xlsx"}, alice)
    assert refused.status_code == 429 and refused["Content-Type"].startswith("text/plain")
    assert export({"export": "xlsx"}, bob).status_code == 200
    list(lines)  # the file has arrived
    assert export({"export": "xlsx"}, alice).status_code == 200
    assert export({"export": "xlsx"}, alice).status_code == 200


def test_the_page_links_both_files_with_its_filter_and_sort_but_not_its_page(notes):
    response = export({"title": "α", "sort": "-title", "page": "2"})
    links = response.context_data["table"].export_links
    assert [label for label, _ in links] == ["Excel", "CSV"]
    for (_, url), export_format in zip(links, ["xlsx", "csv"], strict=True):
        assert url == f"?title=%CE%B1&sort=-title&export={export_format}"
    response.render()
    assert 'href="?title=%CE%B1&amp;sort=-title&amp;export=xlsx" download' in response.text


def test_an_unknown_format_shows_the_page():
    response = export({"export": "exe"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
