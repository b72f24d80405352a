"""files/object_storage.py: what Django hands nginx for a file in the object store (signing needs no store).

The template's own tests run it end to end: a SeaweedFS store, two app servers and nginx.
"""

import socket
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from botocore.exceptions import BotoCoreError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.test import RequestFactory

from ..media import hand_public_media_to_nginx, protected_file_response
from ..object_storage import NGINX_LOCATION

ENDPOINT = "http://10.0.0.20:8333"


@pytest.fixture
def object_storage(settings):
    return storage_at(settings, ENDPOINT)


def storage_at(settings, endpoint):
    """The project's storage with a store at ``endpoint``, as local.py names one."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "{{ cookiecutter.project_slug }}.files.object_storage.ObjectStorage",
            "OPTIONS": {
                "endpoint_url": endpoint,
                "bucket_name": "media",
                "access_key": "key",
                "secret_key": "secret",
                "region_name": "us-east-1",
            },
        },
    }
    return default_storage


def accel_redirect(response):
    """The X-Accel-Redirect's path and query parameters."""
    redirect = urlsplit(response.headers["X-Accel-Redirect"])
    return redirect.path, parse_qs(redirect.query)


def test_a_protected_file_goes_to_nginx_as_a_short_signed_url_of_the_store(object_storage):
    file = FieldFile(None, models.FileField(), "protected/notes/2026/11/dokimi.pdf")

    response = protected_file_response(RequestFactory().get("/"), file, "Δοκιμή.pdf")

    path, query = accel_redirect(response)
    assert path == f"{NGINX_LOCATION}/media/protected/notes/2026/11/dokimi.pdf"
    assert query["X-Amz-Expires"] == ["60"]
    assert query["X-Amz-Signature"]
    greek_name = "%CE%94%CE%BF%CE%BA%CE%B9%CE%BC%CE%AE.pdf"
    assert response.headers["Content-Disposition"] == f"attachment; filename*=utf-8''{greek_name}"
    assert response.headers["Content-Type"] == "application/pdf"
    # Nothing of the store in what the client could see: the redirect is nginx's, and consumed by it.
    assert ENDPOINT not in response.serialize_headers().decode().replace(response.headers["X-Accel-Redirect"], "")
    assert response.content == b""


def test_a_files_url_is_the_sites_never_the_stores(object_storage, settings):
    assert object_storage.url("logos/2026/11/logo.png") == f"{settings.MEDIA_URL}logos/2026/11/logo.png"


@pytest.mark.parametrize(
    ("path", "disposition"),
    [("logos/2026/11/logo.PNG", 'inline; filename="logo.PNG"'), ("minutes/2026/11/page.html", None)],
)
def test_public_media_go_to_nginx_shown_only_when_an_image(object_storage, path, disposition):
    response = hand_public_media_to_nginx(RequestFactory().get("/"), path)
    assert accel_redirect(response)[0] == f"{NGINX_LOCATION}/media/{path}"
    assert response.headers["Content-Disposition"] == (disposition or 'attachment; filename="page.html"')


def test_the_store_answers_with_the_type_and_disposition_django_decided(object_storage):
    """nginx passes on the store's headers: the signed URL tells the store which, so an HTML object named .png
    is sent as the image it claims to be, never as a page."""
    response = hand_public_media_to_nginx(RequestFactory().get("/"), "logos/2026/11/page.png")
    _, query = accel_redirect(response)
    assert query["response-content-type"] == ["image/png"] == [response.headers["Content-Type"]]
    assert query["response-content-disposition"] == [response.headers["Content-Disposition"]]


@pytest.mark.parametrize("path", ["", ".", "a/..", "/", "logos/"])
def test_a_path_that_names_no_file_is_not_found(object_storage, path):
    with pytest.raises(Http404):
        hand_public_media_to_nginx(RequestFactory().get("/"), path)


@pytest.mark.parametrize("path", ["protected/notes/2026/11/a.pdf", "protected", "logos/../protected/a", "../a.pdf"])
def test_protected_files_are_no_public_media(object_storage, path):
    with pytest.raises(Http404):
        hand_public_media_to_nginx(RequestFactory().get("/"), path)


@pytest.fixture
def hung_store():
    """A store that accepts connections and never answers: the address of a listening socket nobody serves."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()
    for connection, _ in accepted:
        connection.close()


def test_a_store_that_hangs_fails_an_upload_instead_of_holding_the_worker(settings, hung_store):
    """Within the timeouts of files/object_storage.py, well before gunicorn's 30 s would kill the worker."""
    storage = storage_at(settings, hung_store)
    outcome = []

    def upload():
        try:
            storage.save("minutes/2026/12/a.txt", ContentFile(b"minutes"))
        except BotoCoreError as error:
            outcome.append(error)

    attempt = threading.Thread(target=upload, daemon=True)
    attempt.start()
    attempt.join(timeout=60)
    assert not attempt.is_alive(), "the upload still waits for the store after 60 s"
    assert outcome and "timeout" in str(outcome[0]).lower(), outcome
    config = storage.client_config
    assert config.connect_timeout + config.read_timeout <= 10
