"""A document's reviewers, edited on its own form: an inline formset of the Review through model."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ...core.current_user import acting_as
from ...core.forms import InlineFormSet
from ...core.testing import formset_data
from ..forms import ReviewFormSet
from ..models import Document, Review

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 1, 15)


@pytest.fixture
def colleagues(django_user_model):
    return [django_user_model.objects.create_user(username=name, password="x") for name in ["bob", "carol", "dave"]]


def new_document(category, *reviews):
    upload = SimpleUploadedFile("lease.pdf", b"%PDF-1.4")
    return {"title": "Lease", "category": category.pk, "file": upload, **formset_data("reviews", reviews)}


def review(reviewer, role, due=DUE):
    return {"reviewer": reviewer.pk, "role": role.pk, "due_on": due.isoformat()}


def test_creating_a_document_with_two_reviewers_saves_both_with_audit_fields(
    alice_client, user, category, colleagues, roles
):
    bob, carol, _ = colleagues
    data = new_document(category, review(bob, roles["Approver"]), review(carol, roles["Reader"]))
    response = alice_client.post(reverse("documents:create"), data)
    document = Document.objects.get()
    assert response.url == document.get_absolute_url()
    reviews = list(document.reviews.values_list("reviewer__username", "role__name", "due_on", "created_by"))
    assert reviews == [("bob", "Approver", DUE, user.pk), ("carol", "Reader", DUE, user.pk)]
    assert list(document.reviewers.order_by("username").values_list("username", flat=True)) == ["bob", "carol"]
    page = alice_client.get(document.get_absolute_url()).text
    assert "bob, Approver, by" in page and "carol, Reader, by" in page


@pytest.fixture
def reviewed(document, user, colleagues, roles):
    """Alice's document, with bob and carol reviewing it."""
    bob, carol, _ = colleagues
    with acting_as(user):
        return document, [
            Review.objects.create(document=document, reviewer=bob, role=roles["Approver"], due_on=DUE),
            Review.objects.create(document=document, reviewer=carol, role=roles["Reader"], due_on=DUE),
        ]


def test_updating_deletes_marked_rows_keeps_the_others_and_adds_new_ones(client, reviewed, colleagues, roles):
    document, (bob_review, carol_review) = reviewed
    _, carol, dave = colleagues
    editor = type(carol).objects.create_superuser(username="editor", password="x")
    client.force_login(editor)
    rows = [
        {"id": bob_review.pk, **review(bob_review.reviewer, roles["Approver"]), "DELETE": "on"},
        {"id": carol_review.pk, **review(carol, roles["Approver"], DUE + datetime.timedelta(days=7))},
        review(dave, roles["Reader"]),
    ]
    data = {"title": document.title, "category": document.category_id, **formset_data("reviews", rows, initial=2)}
    response = client.post(reverse("documents:update", args=[document.pk]), data)
    assert response.status_code == 302
    after = {r.reviewer.username: r for r in document.reviews.select_related("reviewer", "role", "created_by")}
    assert sorted(after) == ["carol", "dave"]
    assert after["carol"].role.name == "Approver"
    assert after["carol"].modified_by == editor
    assert after["carol"].created_by.username == "alice"
    assert after["dave"].created_by == editor
    assert not Review.objects.filter(pk=bob_review.pk).exists()


def test_an_invalid_row_shows_the_rows_as_entered_and_saves_nothing(alice_client, category, colleagues, roles):
    bob, carol, _ = colleagues
    rows = [review(bob, roles["Approver"], datetime.date(2031, 3, 9)), {"reviewer": carol.pk, "due_on": ""}]
    response = alice_client.post(reverse("documents:create"), new_document(category, *rows))
    assert response.status_code == 200
    formset = response.context["form"].formsets["reviews"]
    assert formset.errors == [{}, {"role": ["This field is required."], "due_on": ["This field is required."]}]
    assert 'value="2031-03-09"' in response.text
    assert f'<option value="{carol.pk}" selected>' in response.text
    assert not Document.objects.exists() and not Review.objects.exists()


def test_a_reviewer_can_be_listed_once(alice_client, category, colleagues, roles):
    bob = colleagues[0]
    rows = [review(bob, roles["Approver"]), review(bob, roles["Reader"])]
    response = alice_client.post(reverse("documents:create"), new_document(category, *rows))
    assert response.status_code == 200
    assert response.context["form"].formsets["reviews"].errors[1] == {
        "reviewer": ["Review with this Document and Reviewer already exists."]
    }
    assert not Document.objects.exists()


def test_more_rows_than_max_num_are_refused(alice_client, category, colleagues, roles):
    rows = [review(colleagues[0], roles["Reader"], DUE + datetime.timedelta(days=day)) for day in range(11)]
    response = alice_client.post(reverse("documents:create"), new_document(category, *rows))
    assert response.status_code == 200
    assert "Please submit at most 10 forms." in response.text
    assert not Document.objects.exists()


def test_without_javascript_the_form_offers_one_empty_row_and_delete_boxes(alice_client, reviewed):
    document, _ = reviewed
    page = alice_client.get(reverse("documents:update", args=[document.pk])).text
    # Two saved rows with a Delete checkbox, one empty row to fill, and the template for more.
    assert page.count('name="reviews-0-DELETE"') == 1 and page.count('name="reviews-1-DELETE"') == 1
    assert 'name="reviews-2-reviewer"' in page and 'name="reviews-2-DELETE"' not in page
    assert 'name="reviews-__prefix__-reviewer"' in page
    assert 'name="reviews-TOTAL_FORMS" value="3"' in page and 'name="reviews-MAX_NUM_FORMS" value="10"' in page
    assert 'data-formset="reviews"' in page


def test_the_admin_edits_reviews_inline(admin_client, reviewed):
    document, _ = reviewed
    page = admin_client.get(reverse("admin:documents_document_change", args=[document.pk])).text
    assert 'name="reviews-TOTAL_FORMS" value="2"' in page


def test_only_active_users_can_review(alice_client, category, colleagues, roles):
    bob, carol, _ = colleagues
    carol.is_active = False
    carol.save()
    page = alice_client.get(reverse("documents:create")).text
    assert f'<option value="{bob.pk}">bob</option>' in page and ">carol<" not in page
    response = alice_client.post(reverse("documents:create"), new_document(category, review(carol, roles["Reader"])))
    assert "reviewer" in response.context["form"].formsets["reviews"].errors[0]
    assert not Document.objects.exists()


def test_a_forged_total_forms_count_builds_no_more_rows_than_max_num(alice_client, category):
    """One small POST claiming 1,010 rows must not make the server build (and render) 1,010 forms."""
    data = {**new_document(category), "reviews-TOTAL_FORMS": 1010, "reviews-INITIAL_FORMS": 0}
    response = alice_client.post(reverse("documents:create"), data)
    assert response.status_code == 200
    formset = response.context["form"].formsets["reviews"]
    assert len(formset.forms) <= formset.max_num + formset.extra
    assert "Please submit at most 10 forms." in response.text
    assert response.text.count('name="reviews-') < 100
    assert not Document.objects.exists()


def edit_reviews(client, document, rows, initial):
    data = {"title": document.title, "category": document.category_id, **formset_data("reviews", rows, initial)}
    return client.post(reverse("documents:update", args=[document.pk]), data)


def saved_reviewers(document):
    return sorted(document.reviews.values_list("reviewer__username", flat=True))


def test_swapping_two_rows_reviewers_is_a_row_error_not_a_server_error(alice_client, reviewed, roles):
    document, (bob_review, carol_review) = reviewed
    rows = [
        {"id": bob_review.pk, **review(carol_review.reviewer, roles["Approver"])},
        {"id": carol_review.pk, **review(bob_review.reviewer, roles["Reader"])},
    ]
    response = edit_reviews(alice_client, document, rows, initial=2)
    assert response.status_code == 200
    errors = response.context["form"].formsets["reviews"].errors
    assert any("reviewer" in row for row in errors), errors
    assert Review.objects.get(pk=bob_review.pk).reviewer.username == "bob"


@pytest.mark.parametrize("deleted_row_first", [True, False])
def test_giving_a_deleted_rows_reviewer_to_another_row_saves(alice_client, reviewed, roles, deleted_row_first):
    """The rows as they will be after the save are what must be unique: bob's row goes, carol's becomes bob's."""
    document, (bob_review, carol_review) = reviewed
    rows = [
        {"id": bob_review.pk, **review(bob_review.reviewer, roles["Approver"]), "DELETE": "on"},
        {"id": carol_review.pk, **review(bob_review.reviewer, roles["Reader"])},
    ]
    if not deleted_row_first:
        rows.reverse()
    response = edit_reviews(alice_client, document, rows, initial=2)
    assert response.status_code == 302, response.context["form"].formsets["reviews"].errors
    assert saved_reviewers(document) == ["bob"]


def test_two_tabs_adding_the_same_reviewer_get_a_row_error(alice_client, reviewed, colleagues, roles):
    document, (bob_review, carol_review) = reviewed
    dave = colleagues[2]
    kept = [
        {"id": bob_review.pk, **review(bob_review.reviewer, roles["Approver"])},
        {"id": carol_review.pk, **review(carol_review.reviewer, roles["Reader"])},
    ]
    assert edit_reviews(alice_client, document, [*kept, review(dave, roles["Reader"])], initial=2).status_code == 302
    # The second tab still shows the two rows it loaded, and adds dave too.
    response = edit_reviews(alice_client, document, [*kept, review(dave, roles["Approver"])], initial=2)
    assert response.status_code == 200
    assert "reviewer" in response.context["form"].formsets["reviews"].errors[2]
    assert saved_reviewers(document) == ["bob", "carol", "dave"]


@pytest.fixture
def dave_saved_meanwhile(monkeypatch, reviewed, colleagues, roles):
    """Another request adds dave to the document between this request's validation and its save: patch the
    save of the given formset class so that the row appears just before it writes."""
    document, _ = reviewed
    dave = colleagues[2]

    def race(formset_class):
        save = formset_class.save

        def raced_then_saved(formset, commit=True):
            Review.objects.create(document=document, reviewer=dave, role=roles["Reader"], due_on=DUE)
            return save(formset, commit)

        monkeypatch.setattr(formset_class, "save", raced_then_saved)
        return dave

    return race


def test_a_conflicting_row_saved_meanwhile_is_a_form_error_not_a_server_error(
    alice_client, reviewed, roles, dave_saved_meanwhile
):
    document, _ = reviewed
    dave = dave_saved_meanwhile(ReviewFormSet)
    rows = [{"id": r.pk, **review(r.reviewer, r.role)} for r in document.reviews.all()]
    response = edit_reviews(alice_client, document, [*rows, review(dave, roles["Approver"])], initial=2)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Review.objects.filter(reviewer=dave, role=roles["Approver"]).exists()


@pytest.mark.parametrize("swap", [True, False], ids=["swap", "delete-and-reuse"])
def test_the_admin_inline_judges_rows_as_they_will_be(admin_client, reviewed, roles, swap):
    document, (bob_review, carol_review) = reviewed
    bob, carol = bob_review.reviewer, carol_review.reviewer
    rows = [
        {"id": bob_review.pk, "document": document.pk, **review(carol if swap else bob, roles["Approver"])},
        {"id": carol_review.pk, "document": document.pk, **review(bob, roles["Reader"])},
    ]
    if not swap:
        rows[0]["DELETE"] = "on"
    data = {"title": document.title, "category": document.category_id, **formset_data("reviews", rows, initial=2)}
    response = admin_client.post(reverse("admin:documents_document_change", args=[document.pk]), data)
    if swap:
        assert response.status_code == 200
        assert "reviewer" in str(response.context["inline_admin_formsets"][0].formset.errors)
    else:
        assert response.status_code == 302
        assert saved_reviewers(document) == ["bob"]


def test_a_deactivated_reviewer_keeps_their_rows_editable(alice_client, reviewed, colleagues, roles):
    """Only new choices are limited to active users: a row nobody touched stays valid."""
    document, (bob_review, carol_review) = reviewed
    carol_review.reviewer.is_active = False
    carol_review.reviewer.save()
    page = alice_client.get(reverse("documents:update", args=[document.pk])).text
    assert f'<option value="{carol_review.reviewer.pk}" selected>carol</option>' in page
    rows = [
        {"id": bob_review.pk, **review(bob_review.reviewer, roles["Approver"])},
        {"id": carol_review.pk, **review(carol_review.reviewer, roles["Approver"])},
    ]
    response = edit_reviews(alice_client, document, rows, initial=2)
    assert response.status_code == 302
    assert Review.objects.get(pk=carol_review.pk).role == roles["Approver"]
    # Yet nobody picks carol for another row, or for bob's.
    rows[0] = {"id": bob_review.pk, **review(carol_review.reviewer, roles["Approver"])}
    response = edit_reviews(alice_client, document, [rows[0]], initial=1)
    assert response.status_code == 200


def test_a_conflicting_row_saved_meanwhile_in_the_admin_is_a_message_not_a_server_error(
    admin_client, reviewed, roles, dave_saved_meanwhile
):
    document, reviews = reviewed
    dave = dave_saved_meanwhile(InlineFormSet)  # the admin builds its formset class from it
    rows = [{"id": r.pk, "document": document.pk, **review(r.reviewer, r.role)} for r in reviews]
    rows.append({"document": document.pk, **review(dave, roles["Approver"])})
    data = {"title": document.title, "category": document.category_id, **formset_data("reviews", rows, initial=2)}
    url = reverse("admin:documents_document_change", args=[document.pk])
    response = admin_client.post(url, data, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Someone saved a conflicting change meanwhile" in response.text
    assert not Review.objects.filter(reviewer=dave).exists()
