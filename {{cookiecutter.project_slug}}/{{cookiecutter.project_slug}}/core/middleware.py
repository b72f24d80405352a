"""Makes the current request reachable from code that has no request argument (models, signals)."""

from contextvars import ContextVar

_current_request = ContextVar("current_request", default=None)


def get_current_request():
    """The request being served by this thread (or task), or None outside a request."""
    return _current_request.get()


class CurrentRequestMiddleware:
    """Holds the request for the duration of the view, and forgets it afterwards.

    The guideline's "threadlocals" (django-tools' ThreadLocalMiddleware) in a
    dozen lines: a ContextVar is per thread under WSGI and per task under
    ASGI, and the reset in ``finally`` runs on responses and exceptions alike.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
