"""Frozen (docs/architecture.md): older apps import core.pdf; the code is in files/pdf.py."""

from ..files.pdf import *  # noqa: F403
