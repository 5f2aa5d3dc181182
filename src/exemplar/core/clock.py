"""The one place the application asks for the current time.

Domain functions take an optional ``at`` that defaults to ``now()``, so tests
and replays pass a fixed moment instead of patching the clock.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    """The current moment, timezone-aware (UTC)."""
    return timezone.now()
