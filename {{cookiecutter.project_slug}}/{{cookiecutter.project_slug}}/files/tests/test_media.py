"""Django serves public media only in development, and never a protected file, however the URL is written."""

import os

import pytest

from ..media import public_media_urlpatterns

SECRET = b"%PDF-1.4 the protected content"
# Filled by the fixture below, with DEBUG on: the media URLs a development server has.
urlpatterns = []

# URLs that lead to media/protected/secret.pdf once a server or the file system normalises them.
PROTECTED_SPELLINGS = [
    "protected/secret.pdf",
    "/protected/secret.pdf",
    "./protected/secret.pdf",
    "public/../protected/secret.pdf",
    "public/%2e%2e/protected/secret.pdf",
    "public/%2E%2E/protected/secret.pdf",
    "public/..%2fprotected/secret.pdf",
    "public/%2e%2e%2fprotected%2fsecret.pdf",
    "%70rotected/secret.pdf",
    "protected%2fsecret.pdf",
    "protected/./secret.pdf",
    "protected//secret.pdf",
    "public//../protected/secret.pdf",
    "public/../../media/protected/secret.pdf",
    "public/link-to-protected/secret.pdf",
    "public/link-to-secret.pdf",
]


@pytest.fixture
def media(settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SENDFILE_ROOT = settings.MEDIA_ROOT / "protected"
    (settings.MEDIA_ROOT / "public").mkdir(parents=True)
    settings.SENDFILE_ROOT.mkdir()
    (settings.MEDIA_ROOT / "public" / "photo.txt").write_bytes(b"public")
    (settings.SENDFILE_ROOT / "secret.pdf").write_bytes(SECRET)
    os.symlink(settings.SENDFILE_ROOT, settings.MEDIA_ROOT / "public" / "link-to-protected")
    os.symlink(settings.SENDFILE_ROOT / "secret.pdf", settings.MEDIA_ROOT / "public" / "link-to-secret.pdf")
    urlpatterns[:] = public_media_urlpatterns()
    yield settings.MEDIA_URL
    urlpatterns.clear()


def test_no_media_urls_without_debug(settings):
    settings.DEBUG = False
    assert public_media_urlpatterns() == []


@pytest.mark.urls(__name__)
def test_public_media_is_served_with_debug(client, media):
    response = client.get(f"{media}public/photo.txt")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"public"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("spelling", PROTECTED_SPELLINGS)
def test_protected_files_are_never_public_media(client, media, spelling):
    response = client.get(f"{media}{spelling}")
    assert response.status_code == 404
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert SECRET not in content
