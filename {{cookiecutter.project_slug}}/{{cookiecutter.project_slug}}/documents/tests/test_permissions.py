"""Who may do what with someone's document: reading is not changing, changing is not deleting.

Rows a user may not act on answer 404, as if they did not exist; anonymous users go to the login page.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from ..models import Document

pytestmark = pytest.mark.django_db

ACTIONS = ["list", "detail", "edit_form", "edit", "delete_form", "delete", "download"]
READ = {"list", "detail", "download"}
CHANGE = {"edit_form", "edit"}
DELETE = {"delete_form", "delete"}
# What each kind of user may do with a document that alice created.
ALLOWED = {
    "owner": READ | CHANGE | DELETE,
    "other": set(),
    "viewer": READ,
    # As in Django's admin, whoever may change rows may also see them.
    "changer": READ | CHANGE,
    "deleter": DELETE,
    "superuser": READ | CHANGE | DELETE,
}
PERMISSIONS = {"viewer": "view_document", "changer": "change_document", "deleter": "delete_document"}


@pytest.fixture
def as_role(client, user, django_user_model):
    def log_in(role):
        if role == "owner":
            client.force_login(user)
        elif role == "superuser":
            client.force_login(django_user_model.objects.create_superuser(username="root", password="x"))
        elif role != "anonymous":
            someone = django_user_model.objects.create_user(username=role, password="x")
            if role in PERMISSIONS:
                someone.user_permissions.add(Permission.objects.get(codename=PERMISSIONS[role]))
            client.force_login(someone)
        return client

    return log_in


def send(client, action, document):
    if action == "list":
        return client.get(reverse("documents:list"))
    if action == "edit":
        data = {"title": "Changed", "category": document.category_id}
        return client.post(reverse("documents:update", args=[document.pk]), data)
    if action == "delete":
        return client.post(reverse("documents:delete", args=[document.pk]))
    name = {"edit_form": "update", "delete_form": "delete"}.get(action, action)
    return client.get(reverse(f"documents:{name}", args=[document.pk]))


def assert_unchanged(document):
    assert Document.objects.filter(pk=document.pk, title=document.title).exists()


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_users_are_sent_to_log_in(as_role, document, action):
    response = send(as_role("anonymous"), action, document)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert_unchanged(document)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ALLOWED)
def test_each_role_may_do_exactly_what_its_permissions_say(as_role, document, role, action, sendfile_backend):
    sendfile_backend("development")
    response = send(as_role(role), action, document)
    allowed = action in ALLOWED[role]
    if action == "list":
        assert response.status_code == 200
        assert (document.title in response.text) == allowed
    elif action == "edit" and allowed:
        assert response.status_code == 302
        assert Document.objects.get(pk=document.pk).title == "Changed"
    elif action == "delete" and allowed:
        assert response.status_code == 302
        assert not Document.objects.filter(pk=document.pk).exists()
    else:
        assert response.status_code == (200 if allowed else 404)
    if action not in {"edit", "delete"} or not allowed:
        assert_unchanged(document)
