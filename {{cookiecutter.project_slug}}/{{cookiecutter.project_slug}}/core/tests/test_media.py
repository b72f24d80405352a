"""Django serves public media only in development, and never the protected folder."""

from django.urls import Resolver404, URLResolver
from django.urls.resolvers import RegexPattern

from {{ cookiecutter.project_slug }}.core.media import public_media_urlpatterns


def resolves(patterns, path):
    try:
        URLResolver(RegexPattern(r"^/"), patterns).resolve(path)
    except Resolver404:
        return False
    return True


def test_no_media_urls_without_debug(settings):
    settings.DEBUG = False
    assert public_media_urlpatterns() == []


def test_public_media_but_not_protected_files_with_debug(settings):
    settings.DEBUG = True
    patterns = public_media_urlpatterns()
    prefix = settings.MEDIA_URL
    assert resolves(patterns, f"{prefix}images/2026/01/a.png")
    assert not resolves(patterns, f"{prefix}protected/reports/2026/01/a.pdf")
