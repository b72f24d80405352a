import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_sendfile.utils import _get_sendfile

from ...core.current_user import acting_as
from ...documents.models import Category, Document, ReviewRole


@pytest.fixture
def category(db):
    return Category.objects.create(name="Contracts")


@pytest.fixture
def roles(db):
    return {name: ReviewRole.objects.create(name=name) for name in ["Approver", "Reader"]}


@pytest.fixture
def make_document(category):
    def make(owner, title="Lease", content=b"%PDF-1.4 lease", name="Μίσθωση.pdf", category=category):
        with acting_as(owner):
            upload = SimpleUploadedFile(name, content)
            return Document.objects.create(title=title, category=category, file=upload)

    return make


@pytest.fixture
def document(make_document, user):
    return make_document(user)


@pytest.fixture
def sendfile_backend(settings):
    """Switch django-sendfile2's backend; it caches the one it loaded, so clear that cache."""

    def use(backend):
        settings.SENDFILE_BACKEND = f"django_sendfile.backends.{backend}"
        _get_sendfile.cache_clear()

    yield use
    _get_sendfile.cache_clear()
