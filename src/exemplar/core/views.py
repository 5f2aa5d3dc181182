"""Shared view plumbing: the permission mixin every non-public view uses."""

from __future__ import annotations

from typing import ClassVar

from django.http import HttpRequest
from rules.contrib.views import PermissionRequiredMixin as RulesPermissionRequiredMixin


class PermissionRequiredMixin(RulesPermissionRequiredMixin):
    """Guards a view with a django-rules permission.

    Anonymous users go to the login page; signed-in users without the
    permission get 403. Object views set ``get_permission_object``.
    ``tests/meta/test_url_guards.py`` fails if a view outside ``PUBLIC_VIEWS``
    does not use this mixin.
    """

    permission_required: ClassVar[str]


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))
