"""Lists as files: a list view with ExportMixin downloads its rows as .xlsx or .csv.

The file holds what the page shows, every page of it: the rows the user may see, filtered and sorted
as on the page, in the table's columns (a column with ``exclude_from_export=True`` stays out). A
file holds EXPORT_MAX_ROWS rows at most, and says so in its last row when the list has more: a
longer download would outlast the server's request timeout. A person (or an address, when nobody is
logged in) downloads one file at a time: a file takes a worker for seconds, and a few clicks must not
take them all.
"""

import csv
import datetime
import re
import tempfile
import warnings
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.formats import get_format, number_format
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from ..core.current_user import client_address

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# A spreadsheet runs a cell that starts with one of these as a formula ("=HYPERLINK(...)"): text
# from users must never do that in a file someone opens (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What a sheet's name may not have.
SHEET_NAME_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
# How long a download keeps its owner from starting another, at most: it is released once the file is sent.
ONE_AT_A_TIME_SECONDS = 120


class ExportMixin:
    """For a list view built on SingleTableMixin: ``?export=xlsx`` or ``?export=csv`` answers with the
    file; the table carries ``export_links`` for its template (table.html shows them)."""

    def get_export_format(self):
        export_format = self.request.GET.get("export")
        return export_format if export_format in FORMATS else None

    def get_table_pagination(self, table):
        return False if self.get_export_format() else super().get_table_pagination(table)

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        query = self.request.GET.copy()
        query.pop(table.prefixed_page_field, None)
        table.export_links = []
        for export_format, label in (("xlsx", "Excel"), ("csv", "CSV")):
            query["export"] = export_format
            table.export_links.append((label, f"?{query.urlencode()}"))
        return table

    def render_to_response(self, context, **response_kwargs):
        export_format = self.get_export_format()
        if not export_format:
            return super().render_to_response(context, **response_kwargs)
        table = context["table"]
        name = slugify(str(table.data.verbose_name_plural), allow_unicode=True) or "export"
        filename = f"{name}-{timezone.localdate():%Y-%m-%d}.{export_format}"
        running = self.running_download_key()
        if not cache.add(running, True, ONE_AT_A_TIME_SECONDS):
            message = _("Your previous download is still being prepared: try again once it has arrived.")
            return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
        rows = table_rows(table)
        if export_format == "csv":
            response = StreamingHttpResponse(released_after(csv_lines(rows), running), content_type=FORMATS["csv"])
            response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
            return response
        try:
            file = xlsx_file(rows, str(table.data.verbose_name_plural))
        finally:
            cache.delete(running)
        return FileResponse(file, as_attachment=True, filename=filename, content_type=FORMATS["xlsx"])

    def running_download_key(self):
        user = getattr(self.request, "user", None)
        who = f"user-{user.pk}" if user and user.is_authenticated else client_address(self.request)
        return f"export-running:{who}"


def released_after(lines, running):
    """The lines of a streamed file; once they are sent (or the client went away), its owner may start another."""
    try:
        yield from lines
    finally:
        cache.delete(running)


def table_rows(table):
    """The header, then each record's values (at most EXPORT_MAX_ROWS), then a note if rows were left out."""
    columns = [column for column in table.columns if not column.column.exclude_from_export]
    yield [str(column.header) for column in columns]
    records = table.data.data
    limit = settings.EXPORT_MAX_ROWS
    if isinstance(records, QuerySet):
        records = records.iterator(chunk_size=2000)
    for index, record in enumerate(records):
        if index == limit:
            rows = number_format(limit, force_grouping=True)
            yield [_("Only the first %(rows)s rows: narrow the filter to download the rest.") % {"rows": rows}]
            return
        yield [cell_value(column.accessor.resolve(record, quiet=True)) for column in columns]


def cell_value(value):
    """A number, a date or a time stays one (local and without a zone: spreadsheets keep none); others are text."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool | int | float | Decimal | datetime.date | datetime.time):
        return value
    return str(value)


def csv_lines(rows):
    """CSV for the spreadsheet of the project's language: a byte order mark (or Excel reads UTF-8 as the
    Windows code page) and ";" between values where the decimal separator is a comma."""
    line = LineBuffer()
    writer = csv.writer(line, delimiter=";" if get_format("DECIMAL_SEPARATOR") == "," else ",")
    yield "\ufeff"
    for row in rows:
        writer.writerow([csv_value(value) for value in row])
        yield line.pop()


def csv_value(value):
    if isinstance(value, datetime.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"  # shown as text, as a spreadsheet's own apostrophe means
    return value


class LineBuffer:
    """What csv.writer writes, handed on one line at a time."""

    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def pop(self):
        text, self.text = self.text, ""
        return text


def xlsx_file(rows, title):
    """An .xlsx built row by row (openpyxl's write-only mode), in a temporary file: memory stays flat."""
    workbook = xlsx_workbook(title)
    add_sheet(workbook, title, rows, max_rows=settings.EXPORT_MAX_ROWS)
    output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
    workbook.save(output)
    output.seek(0)
    return output


def xlsx_workbook(title):
    """A write-only workbook that says what it is to screen readers and to print: its title and language."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    workbook.properties.language = translation.get_language() or settings.LANGUAGE_CODE
    workbook.properties.creator = settings.PROJECT_NAME
    return workbook


def add_sheet(workbook, title, rows, max_rows=None):
    """A sheet of ``rows`` (the first its header): the header row is an Excel table's (a screen reader reads each
    cell's column header), frozen on screen and repeated on paper. Rows past ``max_rows`` are a note below."""
    taken = {sheet.title for sheet in workbook.worksheets}
    name = base = SHEET_NAME_FORBIDDEN.sub(" ", title)[:31] or "1"
    number = 1
    while name in taken:  # a sheet's name is at most 31 characters, and the workbook's alone
        number += 1
        name = f"{base[: 30 - len(str(number))]} {number}"
    sheet = workbook.create_sheet(title=name)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    header = unique_names(next(rows))
    sheet.append([xlsx_cell(sheet, value) for value in header])
    count = 0
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
        count += 1
    records = min(count, max_rows) if max_rows else count
    if records and header:
        # Table names are the workbook's: one per sheet.
        table = Table(
            displayName=f"Rows{len(workbook.worksheets)}", ref=f"A1:{get_column_letter(len(header))}{records + 1}"
        )
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        # A write-only sheet cannot read its cells back: the table names its columns itself.
        table.tableColumns = [TableColumn(id=number, name=name) for number, name in enumerate(header, start=1)]
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "In write-only mode you must add table columns", UserWarning)
            sheet.add_table(table)


def unique_names(header):
    """An Excel table's column names must differ: a second "Date" becomes "Date 2"."""
    names = []
    for name in header:
        candidate, number = name or "—", 1
        while candidate in names:
            number += 1
            candidate = f"{name} {number}"
        names.append(candidate)
    return names


def xlsx_cell(sheet, value):
    if isinstance(value, str):
        # Control characters pasted from Word (\x0b, \x1b) have no place in the file format: openpyxl would
        # refuse the whole file. Tabs and line breaks stay.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, even when it starts with "=": never a formula
    elif isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    return cell
