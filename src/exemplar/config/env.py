"""Typed reader for the EXEMPLAR_* environment variables.

Every deploy-time setting goes through here so that a bad value fails at
start-up with a message naming the variable, never later in a request.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PREFIX = "EXEMPLAR_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(PREFIX + name, default)


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(PREFIX + name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    msg = f"{PREFIX}{name} must be 0 or 1, not {raw!r}"
    raise ImproperlyConfigured(msg)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(PREFIX + name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        msg = f"{PREFIX}{name} must be a whole number, not {raw!r}"
        raise ImproperlyConfigured(msg) from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(PREFIX + name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(PREFIX + name)
    return Path(raw) if raw else default
