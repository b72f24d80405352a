"""The project's base for django-tables2 tables."""

import sys

import django_tables2 as tables
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.template.loader import get_template
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django_tables2 import paginators
from django_tables2.rows import BoundRows


class LazyPaginator(paginators.LazyPaginator):
    """Pages without counting the rows: COUNT(*) costs more than the rest of the page once a table is big.

    A page reads one row more than it shows to know whether another follows, so the pager ends in "…"
    instead of a last page (django-tables2's LazyPaginator). An exact count up to a limit was measured too:
    a filter on a common word then cost 25 ms at a million rows, the rest of the page 4 ms. An estimate
    is quick but can be off by orders of magnitude for a filter, and people take a number as a fact.
    """

    def validate_number(self, number):
        number = super().validate_number(number)
        if number > sys.maxsize // self.per_page - 1:
            # An offset past any database's integers: no such page.
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number):
        number = self.validate_number(number or 1)
        start = (number - 1) * self.per_page
        rows = self.rows(start, start + self.per_page + self.orphans + 1)
        if len(rows) > self.per_page + self.orphans:
            self._num_pages = number + 1
            rows = rows[: self.per_page]
        elif number > 1 and len(rows) <= self.orphans:
            raise EmptyPage(self.error_messages["no_results"])
        else:
            self._num_pages = self._final_num_pages = number
        return Page(rows, number, self)

    def rows(self, start, stop):
        """Rows ``start`` to ``stop``; past the first page, the ids first, then only the rows shown.

        OFFSET over whole rows reads every row it skips from the table (page 1000 of a million: 50 ms),
        OFFSET over the ids reads an index that holds the ordering and the id (2 ms).
        """
        rows = self.object_list  # django-tables2's BoundRows: its data's data is the queryset or list
        queryset = rows.data.data
        if start and isinstance(queryset, QuerySet):
            page = queryset.filter(pk__in=queryset.values("pk")[start:stop])
            return list(BoundRows(page, table=rows.table))
        return list(rows[start:stop])


class Table(tables.Table):
    """Pages hold ``max_per_page`` rows at most, whatever ``?per_page=`` asks for (-1 was a server error,
    a huge number a page of every row), and come from LazyPaginator unless the view chose a paginator of
    its own (ListView hands every table Django's, which counts every row)."""

    max_per_page = 100

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        if per_page is not None:
            per_page = min(max(per_page, 1), self.max_per_page)
        if paginator_class is Paginator:
            paginator_class = LazyPaginator
        return super().paginate(paginator_class, per_page, page, *args, **kwargs)


class TemplateColumn(tables.TemplateColumn):
    """Renders its ``template_name`` (a file: compiled once) with the row alone: ``record`` and ``value``.

    django-tables2's own flattens the page's context and runs every context processor again for each
    cell, a sixth of a list page's time. A cell's template needs the row, and the url and translate tags.
    """

    def render(self, record, value, **kwargs):
        return get_template(self.template_name).render({"record": record, "value": value})


class DateTimeColumn(tables.Column):
    """A date and time, local and in the language's short format (django-tables2's compiles a template per cell)."""

    def render(self, value):
        return date_format(localtime(value), "SHORT_DATETIME_FORMAT")
