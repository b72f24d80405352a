import pytest

from ..current_user import acting_as
from .models import Note

pytestmark = pytest.mark.django_db


def test_each_create_change_and_delete_is_recorded_with_the_user_who_did_it(user, other_user):
    with acting_as(user):
        note = Note.objects.create(title="Draft")
    with acting_as(other_user):
        note.title = "Final"
        note.save()
        note_id, _ = note.pk, note.delete()
    records = Note.history.filter(id=note_id).order_by("history_date", "history_id")
    assert [(record.history_type, record.title, record.history_user) for record in records] == [
        ("+", "Draft", user),
        ("~", "Final", other_user),
        ("-", "Final", other_user),
    ]


def test_a_change_outside_a_request_is_recorded_without_a_user():
    note = Note.objects.create(title="From the shell")
    assert note.history.get().history_user is None


def test_bulk_operations_write_no_history_as_they_write_no_audit_fields(user):
    with acting_as(user):
        Note.objects.bulk_create([Note(title="One"), Note(title="Two")])
        Note.objects.update(title="Three")
    assert not Note.history.exists()
