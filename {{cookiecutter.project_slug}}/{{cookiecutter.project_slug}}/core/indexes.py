"""Frozen (docs/architecture.md): migrations and older apps import core.indexes; the code is in lists/indexes.py."""

from ..lists.indexes import *  # noqa: F403
