"""Frozen (docs/architecture.md): migrations and older apps import core.media; the code is in files/media.py."""

from ..files.media import *  # noqa: F403
