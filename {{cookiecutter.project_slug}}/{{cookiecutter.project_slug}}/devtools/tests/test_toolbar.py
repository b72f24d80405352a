"""The debug toolbar shows itself only when DEBUG and the DEBUG_TOOLBAR switch are both on."""

import pytest
from django.test import RequestFactory

from ..toolbar import show_toolbar


@pytest.mark.parametrize(
    ("debug", "switch", "shown"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_show_toolbar(settings, debug, switch, shown):
    settings.DEBUG = debug
    settings.DEBUG_TOOLBAR = switch
    assert show_toolbar(RequestFactory().get("/")) is shown


def test_hidden_when_the_switch_is_not_set(settings):
    settings.DEBUG = True
    del settings.DEBUG_TOOLBAR
    assert show_toolbar(RequestFactory().get("/")) is False
