"""Frozen (docs/architecture.md): older apps import core.tasks; the code is in background/tasks.py."""

from ..background.tasks import *  # noqa: F403
