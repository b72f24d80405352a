"""Frozen (docs/architecture.md): older apps import core.tables; the code is in lists/tables.py."""

from ..lists.tables import *  # noqa: F403
