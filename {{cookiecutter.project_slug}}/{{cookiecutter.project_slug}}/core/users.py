"""Who is acting: the logged-in user of the current request, or the one a script says."""

from contextlib import contextmanager
from contextvars import ContextVar

from .middleware import get_current_request

_acting_user = ContextVar("acting_user", default=None)


def get_current_user():
    """The authenticated user on whose behalf code runs, or None (anonymous, shell, migrations)."""
    user = _acting_user.get()
    if user is None:
        request = get_current_request()
        user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user


@contextmanager
def acting_as(user):
    """Record ``user`` in audit fields for the saves inside the block, e.g. in a management command."""
    token = _acting_user.set(user)
    try:
        yield user
    finally:
        _acting_user.reset(token)
