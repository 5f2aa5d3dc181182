"""Errors raised by domain functions when they refuse a change.

The message is translatable and meant for the person who asked: views show
it as it is. A refusal never leaves a partial change behind, because every
domain function runs in one transaction.
"""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A request the domain refuses, with a message fit to show the user."""

    def __init__(self, message: str | Promise, *, code: str = "refused") -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)
