"""Frozen (docs/architecture.md): older apps import core.export; the code is in lists/export.py."""

from ..lists.export import *  # noqa: F403
