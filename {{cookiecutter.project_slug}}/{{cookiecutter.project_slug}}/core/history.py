"""The History page of a row: its changes, field by field, newest first.

UserDateAbstractModel gives each subclass ``history`` (django-simple-history): a historical model in
the subclass's app, with one row per create, change or delete, a copy of the row's fields, the time
and the user of core.current_user (the request's, or acting_as()'s). Like the audit fields,
``bulk_create`` and ``QuerySet.update`` write none: they skip the signals, which keeps bulk loads as
fast as they were.
"""

from pathlib import PurePosixPath

from django.core.paginator import Paginator
from django.db import models
from django.utils.formats import localize
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from .views import RowPermissionMixin

# Every change sets these: the entry's time and user say it already.
NOT_SHOWN = {"modified_on", "modified_by"}
KINDS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


class HistoryView(RowPermissionMixin, DetailView):
    """The changes of one row, newest first, to the users who may see the row: ``model`` and a URL with pk."""

    template_name = "history.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        records = self.object.history.order_by("-history_date", "-history_id").select_related("history_user")
        page = Paginator(records, self.paginate_by).get_page(self.request.GET.get("page"))
        # The record before each one on the page, the last one's included: one query for the page.
        start = (page.number - 1) * self.paginate_by
        window = list(records[start : start + self.paginate_by + 1])
        entries = [
            {"record": record, "kind": KINDS[record.history_type], "changes": changes(record, window[index + 1 :])}
            for index, record in enumerate(window[: self.paginate_by])
        ]
        return super().get_context_data(page=page, entries=entries, **kwargs)


def changes(record, older):
    """(field's name, old value, new value) for each field ``record`` changed since the record before it."""
    if not older or record.history_type != "~":
        return []
    delta = record.diff_against(older[0], excluded_fields=NOT_SHOWN, foreign_keys_are_objs=True)
    fields = [field for field in record.instance_type._meta.fields if field.name in delta.changed_fields]
    by_name = {change.field: change for change in delta.changes}
    return [
        (field.verbose_name, shown(field, by_name[field.name].old), shown(field, by_name[field.name].new))
        for field in fields
    ]


def shown(field, value):
    if value is None or value == "":
        return "—"
    if isinstance(field, models.FileField):
        return PurePosixPath(str(value)).name  # the file's name, not where it is kept
    if isinstance(value, models.Model) or isinstance(field, models.ForeignKey):
        return str(value)
    if isinstance(field, models.DateTimeField):
        return localize(localtime(value))
    return localize(value)
