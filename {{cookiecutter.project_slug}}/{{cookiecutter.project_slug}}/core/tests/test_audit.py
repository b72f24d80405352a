"""UserDateAbstractModel: who created and changed a row, from the request or acting_as()."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.test import RequestFactory

from ...core.current_user import (
    CurrentRequestMiddleware,
    acting_as,
    get_current_request,
    get_current_user,
)
from .models import Note

pytestmark = pytest.mark.django_db


def serve(user, view):
    """Run ``view`` inside the middleware, as a request by ``user``, and return what it returned."""
    request = RequestFactory().get("/")
    request.user = user
    result = {}

    def get_response(request):
        result["value"] = view(request)
        return HttpResponse()

    CurrentRequestMiddleware(get_response)(request)
    return result["value"]


def test_logged_in_request_records_the_user(user):
    note = serve(user, lambda request: Note.objects.create(title="n"))
    note.refresh_from_db()
    assert note.created_by == user
    assert note.modified_by == user
    assert note.created_on is not None
    assert note.modified_on >= note.created_on


def test_changes_by_another_user_keep_the_creator(user, other_user):
    note = serve(user, lambda request: Note.objects.create(title="n"))
    serve(other_user, lambda request: Note.objects.get(pk=note.pk).save())
    note.refresh_from_db()
    assert note.created_by == user
    assert note.modified_by == other_user


def test_anonymous_request_saves_without_users():
    note = serve(AnonymousUser(), lambda request: Note.objects.create(title="n"))
    note.refresh_from_db()
    assert note.created_by is None
    assert note.modified_by is None


def test_save_outside_a_request_leaves_users_empty():
    note = Note.objects.create(title="from the shell")
    note.refresh_from_db()
    assert (note.created_by, note.modified_by) == (None, None)


def test_acting_as_records_the_user_and_then_forgets_it(user, other_user):
    with acting_as(user):
        note = Note.objects.create(title="n")
        with acting_as(other_user):
            assert get_current_user() == other_user
        assert get_current_user() == user
    assert get_current_user() is None
    note.refresh_from_db()
    assert note.created_by == user


def test_acting_as_an_anonymous_user_records_nobody():
    with acting_as(AnonymousUser()):
        note = Note.objects.create(title="n")
    assert note.created_by is None


def test_update_fields_still_records_who_and_when(user, other_user):
    with acting_as(user):
        note = Note.objects.create(title="n")
    Note.objects.filter(pk=note.pk).update(modified_on=note.modified_on - timedelta(days=1))
    note.refresh_from_db()
    before = note.modified_on
    note.title = "changed"
    with acting_as(other_user):
        note.save(update_fields=["title"])
    note.refresh_from_db()
    assert note.title == "changed"
    assert note.modified_by == other_user
    assert note.modified_on > before


def test_update_fields_without_a_user_still_records_when(user):
    with acting_as(user):
        note = Note.objects.create(title="n")
    Note.objects.filter(pk=note.pk).update(modified_on=note.modified_on - timedelta(days=1))
    note.refresh_from_db()
    before = note.modified_on
    note.save(update_fields=["title"])
    note.refresh_from_db()
    assert note.modified_on > before
    assert note.modified_by == user


def test_the_request_is_forgotten_after_the_response(user):
    serve(user, lambda request: None)
    assert get_current_request() is None
    assert get_current_user() is None


def test_the_request_is_forgotten_after_an_exception(user):
    def failing_view(request):
        assert get_current_user() == user
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        serve(user, failing_view)
    assert get_current_request() is None


def test_concurrent_requests_see_their_own_user(django_user_model):
    users = [django_user_model(pk=index, username=f"user{index}") for index in range(1, 9)]
    barrier = threading.Barrier(len(users))
    seen = {}

    def view(request):
        barrier.wait(timeout=10)  # every thread holds its request at the same moment
        return get_current_user()

    def work(user):
        seen[user.pk] = serve(user, view)

    threads = [threading.Thread(target=work, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert {pk: seen_user.pk for pk, seen_user in seen.items()} == {user.pk: user.pk for user in users}


def grant(user, codename):
    # Note's content type is made inside a rolled-back test: never take the cached one of an earlier test.
    ContentType.objects.clear_cache()
    content_type = ContentType.objects.get_for_model(Note)
    permission, _ = Permission.objects.get_or_create(codename=codename, content_type=content_type)
    user.user_permissions.add(permission)
    return type(user).objects.get(pk=user.pk)  # a fresh object: has_perm() caches what it found


@pytest.mark.parametrize("action", ["view", "change", "delete"])
def test_for_user_limits_rows_to_their_creator(user, other_user, django_user_model, action):
    with acting_as(user):
        mine = Note.objects.create(title="mine")
    with acting_as(other_user):
        Note.objects.create(title="theirs")
    assert list(Note.objects.for_user(user, action)) == [mine]
    manager = django_user_model.objects.create_superuser(username="boss", password="x")
    assert Note.objects.for_user(manager, action).count() == 2


@pytest.mark.parametrize(
    ("permission", "view", "change", "delete"),
    [("view_note", 2, 1, 1), ("change_note", 2, 2, 1), ("delete_note", 1, 1, 2)],
)
def test_for_user_opens_every_row_for_the_permitted_action(user, other_user, permission, view, change, delete):
    with acting_as(user):
        Note.objects.create(title="mine")
    with acting_as(other_user):
        Note.objects.create(title="theirs")
    user = grant(user, permission)
    counts = [Note.objects.for_user(user, action).count() for action in ("view", "change", "delete")]
    assert counts == [view, change, delete]


def test_for_user_shows_nothing_to_anonymous_users():
    Note.objects.create(title="nobody's")
    assert not Note.objects.for_user(AnonymousUser()).exists()
