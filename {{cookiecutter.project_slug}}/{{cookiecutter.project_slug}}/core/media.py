import re
from pathlib import PurePath

from django.conf import settings
from django.urls import re_path
from django.views.static import serve


def public_media_urlpatterns():
    """Serve MEDIA_ROOT in development, except the protected folder.

    Only with DEBUG on: elsewhere nginx serves media. Protected files are
    left out even here, so a missing permission check shows up in development.
    """
    if not settings.DEBUG:
        return []
    prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    protected = re.escape(PurePath(settings.SENDFILE_ROOT).relative_to(settings.MEDIA_ROOT).as_posix())
    return [
        re_path(
            rf"^{prefix}(?!{protected}/)(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
