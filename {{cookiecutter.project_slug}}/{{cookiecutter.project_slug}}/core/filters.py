"""Frozen (docs/architecture.md): older apps import core.filters; the code is in lists/filters.py."""

from ..lists.filters import *  # noqa: F403
