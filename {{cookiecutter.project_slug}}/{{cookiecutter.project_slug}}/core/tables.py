"""The project's base for django-tables2 tables."""

import django_tables2 as tables
from django.core.paginator import Paginator


class Table(tables.Table):
    """Pages hold ``max_per_page`` rows at most, whatever ``?per_page=`` asks for (-1 was a server error,
    a huge number a page of every row)."""

    max_per_page = 100

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        if per_page is not None:
            per_page = min(max(per_page, 1), self.max_per_page)
        return super().paginate(paginator_class, per_page, page, *args, **kwargs)
