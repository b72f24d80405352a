"""Who is acting: the user of the current request, or the one a script names with acting_as(); and from where.

The guideline's "threadlocals" (django-tools' ThreadLocalMiddleware and get_current_user) in a few
lines: a ContextVar is per thread under WSGI and per task under ASGI.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_current_request = ContextVar("current_request", default=None)
_acting_user = ContextVar("acting_user", default=None)


def get_current_request():
    """The request being served by this thread (or task), or None outside a request."""
    return _current_request.get()


def get_current_user():
    """The authenticated user on whose behalf code runs, or None (anonymous, shell, migrations)."""
    user = _acting_user.get()
    if user is None:
        user = getattr(get_current_request(), "user", None)
        user = getattr(get_current_request(), "impersonator", user)  # who acts as the user (impersonation/)
    if user is None or not user.is_authenticated:
        return None
    return user


def client_address(request):
    """The client's address behind nginx, which sets X-Forwarded-For to it (never passing on the client's own)."""
    return request.headers.get("X-Forwarded-For") or request.META.get("REMOTE_ADDR")


@contextmanager
def acting_as(user):
    """Record ``user`` in audit fields for the saves inside the block, e.g. in a management command."""
    token = _acting_user.set(user)
    try:
        yield user
    finally:
        _acting_user.reset(token)


class CurrentRequestMiddleware:
    """Holds the request for the duration of the view, and forgets it afterwards.

    The reset in ``finally`` runs on responses and exceptions alike.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
