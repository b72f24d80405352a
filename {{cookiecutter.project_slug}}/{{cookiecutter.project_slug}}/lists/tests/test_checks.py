"""The lists' check (lists/checks.py): an index behind every ordering and sortable column."""

import django_tables2 as tables
from django.db import models

from ...core.testing import found_by_checks as found
from ..checks import check_orderings, check_table_orderings
from ..tables import Table


def test_an_ordering_needs_an_index_behind_it(project_app):
    class Office(models.Model):
        name = models.CharField(max_length=50, unique=True)

    class Case(models.Model):
        number = models.CharField(max_length=20)
        opened_on = models.DateField(db_index=True)
        due_on = models.DateField()
        office = models.ForeignKey(Office, on_delete=models.PROTECT)

        class Meta:
            ordering = ["-number", "opened_on", "office", "office__name", "pk"]

    class Step(models.Model):
        case = models.ForeignKey(Case, on_delete=models.CASCADE)
        due_on = models.DateField()

        class Meta:
            ordering = ["due_on"]
            indexes = [models.Index(fields=["case", "-due_on"], name="step_by_case")]

    messages = check_orderings(project_app.get_app_configs())
    assert found(messages) == [("core.W008", "Case"), ("core.W008", "Case")]
    # A path through a relation sorts after joining every row: no index of the cases' table serves it.
    assert [message.msg.split("'")[1] for message in messages] == ["number", "office__name"]


def test_a_sortable_table_column_needs_an_index_behind_it(project_app):
    class Office(models.Model):
        name = models.CharField(max_length=100, unique=True)

        class Meta:
            ordering = ["name"]

    class Permit(models.Model):
        title = models.CharField(max_length=200)
        issued_on = models.DateField(db_index=True)
        notes = models.TextField()
        # Indexed, but the table sorts by the office's name: a join of every row first.
        office = models.ForeignKey(Office, on_delete=models.PROTECT)

    class PermitTable(Table):
        office_name = tables.Column(accessor="office__name")

        class Meta:
            model = Permit
            fields = ["title", "issued_on", "notes", "office"]

    class QuietPermitTable(Table):
        office = tables.Column(orderable=False)

        class Meta:
            model = Permit
            fields = ["issued_on", "office"]

    messages = list(check_table_orderings([PermitTable, QuietPermitTable]))
    assert sorted(message.msg.split("'")[1] for message in messages) == ["notes", "office", "office__name", "title"]
    assert {message.obj for message in messages} == {PermitTable}
    assert {message.id for message in messages} == {"core.W008"}
