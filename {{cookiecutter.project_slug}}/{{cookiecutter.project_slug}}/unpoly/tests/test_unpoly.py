import pytest
from django import forms
from django.http import HttpResponse
from django.template import engines
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, include, path, reverse
from django.views.generic import FormView

from ... import urls as project_urls
from ...core.editing import SaveViewMixin
from ...core.tests.models import Note
from ...lists.tables import Table
from ..middleware import TABLE_TARGET, UnpolyMiddleware
from ..templatetags.unpoly_tags import urlid

UNPOLY_HEADERS = {"X-Up-Version": "3.14.3", "X-Up-Target": "main", "X-Up-Mode": "root"}


class NameForm(forms.Form):
    name = forms.CharField(max_length=10)


class SavingFormView(FormView):
    """Stands for CreateView/UpdateView: form_valid() is where they save."""

    form_class = NameForm
    success_url = "/done/"
    saved = False

    def form_valid(self, form):
        SavingFormView.saved = True
        return super().form_valid(form)


class NameView(SaveViewMixin, SavingFormView):
    def render_to_response(self, context):
        return HttpResponse(f"form errors: {sorted(context['form'].errors)}")


@pytest.fixture
def post(rf, db):
    SavingFormView.saved = False

    def send(data, *, headers=None, middleware=True):
        request = rf.post("/names/", data, headers=headers or {})
        view = NameView.as_view()
        return UnpolyMiddleware(view)(request) if middleware else view(request)

    return send


def test_a_valid_submit_saves_and_redirects(post):
    response = post({"name": "Alice"}, headers=UNPOLY_HEADERS)
    assert response.status_code == 302
    assert SavingFormView.saved


def test_a_validation_pass_re_renders_a_valid_form_without_saving(post):
    response = post({"name": "Alice"}, headers={**UNPOLY_HEADERS, "X-Up-Validate": "name"})
    assert response.status_code == 200
    assert response.content == b"form errors: []"
    assert not SavingFormView.saved


def test_a_validation_pass_shows_the_errors(post):
    response = post({"name": "A name far too long"}, headers={**UNPOLY_HEADERS, "X-Up-Validate": "name"})
    assert response.content == b"form errors: ['name']"
    assert not SavingFormView.saved


@pytest.mark.parametrize("middleware", [True, False])
def test_plain_requests_behave_as_without_the_mixin(post, middleware):
    assert post({"name": "Bob"}, middleware=middleware).status_code == 302
    assert SavingFormView.saved
    assert post({"name": ""}, middleware=middleware).content == b"form errors: ['name']"


def thing(request, pk):
    return HttpResponse()


class NoteTable(Table):
    class Meta:
        model = Note
        fields = ["title"]


def list_page(request):
    return TemplateResponse(request, "home.html", {"table": NoteTable(Note.objects.all())})


urlpatterns = [
    path("things/<int:pk>/edit/", thing, name="thing"),
    path("notes/", list_page),
    path("", include(project_urls)),  # the page's layout links to them
]


@pytest.mark.urls(__name__)
def test_urlid_puts_the_placeholder_where_reverse_refuses_it():
    assert urlid("thing", "$id") == "/things/$id/edit/"
    with pytest.raises(NoReverseMatch):
        reverse("thing", args=["$id"])


@pytest.mark.urls(__name__)
def test_urlid_reverses_real_arguments_like_reverse():
    assert urlid("thing", 42) == reverse("thing", args=[42]) == "/things/42/edit/"


def test_urlid_is_a_template_tag_of_the_unpoly_tags_library():
    assert engines["django"].engine.template_libraries["unpoly_tags"].tags["urlid"]


@pytest.mark.parametrize(
    "query, headers",
    [
        ("?_up_foo=1", {}),
        ("?_up_target=main&_up_bar=x", {}),
        ("?_up_context_diff=[1]", {}),
        ("", {"X-Up-Foo": "1"}),
        ("", {**UNPOLY_HEADERS, "X-Up-Unknown-Option": "x"}),
        ("", {**UNPOLY_HEADERS, "X-Up-Context": "[1, 2]"}),
        ("", {**UNPOLY_HEADERS, "X-Up-Context-Diff": '"text"'}),
    ],
)
def test_unknown_or_malformed_unpoly_options_are_ignored_not_a_server_error(client, query, headers):
    """Anyone can send these: they must never become a 500 (and a mail to ADMINS)."""
    response = client.get(f"/accounts/login/{query}", headers=headers)
    assert response.status_code == 200


def test_known_options_still_reach_the_view_beside_unknown_ones(rf):
    request = rf.get("/", headers={**UNPOLY_HEADERS, "X-Up-Validate": "name", "X-Up-Whatever": "1"})
    seen = {}

    def view(request):
        seen.update(version=request.up.version, validate=request.up.validate, target=request.up.target)
        return HttpResponse()

    UnpolyMiddleware(view)(request)
    assert seen == {"version": "3.14.3", "validate": ["name"], "target": "main"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "table_alone"), [(TABLE_TARGET, True), ("main", False), (f"{TABLE_TARGET}, main", False), (None, False)]
)
@pytest.mark.urls(__name__)
def test_a_request_for_the_table_alone_gets_the_table_alone(client, target, table_alone):
    Note.objects.create(title="Lease")
    headers = {"X-Up-Version": "3.14.3", **({"X-Up-Target": target} if target else {})}
    response = client.get("/notes/", headers=headers)
    page = response.content.decode()
    assert (page.lstrip().startswith('<div class="table-container') and "Lease" in page) == table_alone
    assert ("<html" in page) != table_alone
    assert ("X-Up-Target" in response.get("Vary", "")) == table_alone
