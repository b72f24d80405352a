"""The toolbar's check (devtools/checks.py): never shown while DEBUG is off."""

import pytest

from ..checks import TOOLBAR_MIDDLEWARE, check_debug_toolbar

OWN_TOOLBAR_CALLBACK = "{{ cookiecutter.project_slug }}.devtools.toolbar.show_toolbar"
ALWAYS_SHOW = f"{__name__}.always_show"


def always_show(request):
    return True


@pytest.mark.parametrize(
    ("debug", "middleware", "callback", "expected"),
    [
        (False, True, ALWAYS_SHOW, ["core.W006"]),
        (True, True, ALWAYS_SHOW, []),
        (False, False, ALWAYS_SHOW, []),
        (False, True, OWN_TOOLBAR_CALLBACK, []),
    ],
)
def test_toolbar_shown_without_debug(settings, debug, middleware, callback, expected):
    settings.DEBUG = debug
    settings.DEBUG_TOOLBAR = True
    if middleware:
        settings.MIDDLEWARE = [TOOLBAR_MIDDLEWARE, *settings.MIDDLEWARE]
    settings.DEBUG_TOOLBAR_CONFIG = {"SHOW_TOOLBAR_CALLBACK": callback}
    assert [message.id for message in check_debug_toolbar()] == expected
