"""The project's base for django-tables2 tables."""

import sys

import django_tables2 as tables
from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from django.template.loader import get_template
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django_tables2.paginators import LazyPaginator


class CountLimitPaginator(LazyPaginator):
    """Counts the rows no further than ``count_limit``: past that, COUNT(*) costs more than the whole page.

    Up to the limit it pages like Django's Paginator, up to a known last page. Past it, the pager ends in
    "…" instead of a last page (each page reads one row more than it shows to know whether another
    follows, as django-tables2's LazyPaginator does). An estimated total would be quick too, but a filter's
    estimate can be off by orders of magnitude, and people take a number on the screen as a fact.
    """

    count_limit = 10_000

    def page(self, number):
        rows = self.count_rows(self.count_limit + 1)
        # As Django's Paginator.num_pages: the orphans join the last page, an empty list has one page.
        self.counted_pages = max(1, -(-(rows - self.orphans) // self.per_page))
        if rows <= self.count_limit:
            self._final_num_pages = self.counted_pages
        return super().page(number)

    def validate_number(self, number):
        number = super().validate_number(number)
        # Past the known last page, or an offset too large for any database's integers: no such page.
        if number > (self._final_num_pages or sys.maxsize // self.per_page - 1):
            raise EmptyPage(self.error_messages["no_results"])
        return number

    @property
    def num_pages(self):
        """The last page; past the count limit, the furthest page known to exist."""
        return self._final_num_pages or max(self._num_pages or 0, self.counted_pages)

    def count_rows(self, limit):
        """SELECT COUNT(*) FROM (SELECT id ... LIMIT limit): the query stops at ``limit`` rows."""
        data = self.object_list.data.data  # django-tables2's rows, their TableData, its queryset or list
        if isinstance(data, QuerySet):
            return data.order_by().values("pk")[:limit].count()
        return min(len(data), limit)


class Table(tables.Table):
    """Pages hold ``max_per_page`` rows at most, whatever ``?per_page=`` asks for (-1 was a server error,
    a huge number a page of every row), and are counted by CountLimitPaginator unless the view chose a
    paginator of its own (ListView hands every table Django's, which counts every row)."""

    max_per_page = 100

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        if per_page is not None:
            per_page = min(max(per_page, 1), self.max_per_page)
        if paginator_class is Paginator:
            paginator_class = CountLimitPaginator
        return super().paginate(paginator_class, per_page, page, *args, **kwargs)


class TemplateColumn(tables.TemplateColumn):
    """Renders its template with the row alone: ``record`` and ``value``.

    django-tables2's own flattens the page's context and runs every context processor again for each
    cell, a sixth of a list page's time. A cell's template needs the row, and the url and translate tags.
    """

    def render(self, record, value, **kwargs):
        return get_template(self.template_name).render({"record": record, "value": value})


class DateTimeColumn(tables.Column):
    """A date and time, local and in the language's short format (django-tables2's compiles a template per cell)."""

    def render(self, value):
        return date_format(localtime(value), "SHORT_DATETIME_FORMAT")
