"""The role grants of the signed-in user, loaded once per request.

Rules predicates and selectors both read them through ``grants_of``, so a
page that checks many objects costs one query for the grants, not one per
check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from exemplar.people.domain import tree
from exemplar.people.models import RoleGrant, User

_CACHE_ATTR = "_exemplar_grants"


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int
    unit_path: str


def grants_of(user: User | AnonymousUser | None) -> tuple[Grant, ...]:
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    cached: tuple[Grant, ...] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        rows = RoleGrant.objects.filter(user_id=user.pk).values_list("role", "unit_id", "unit__path")
        cached = tuple(Grant(role, unit_id, path) for role, unit_id, path in rows)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def scope_paths(user: User | AnonymousUser | None, roles: Iterable[str]) -> list[str]:
    """The subtree roots over which ``user`` holds any of ``roles``, without nesting."""
    wanted = set(roles)
    paths = sorted({g.unit_path for g in grants_of(user) if g.role in wanted})
    # Drop paths already covered by a shorter one, so filters stay small.
    kept: list[str] = []
    for path in paths:
        if not any(tree.is_within(path, k) for k in kept):
            kept.append(path)
    return kept


def covers(user: User | AnonymousUser | None, roles: Iterable[str], path: str) -> bool:
    return any(tree.is_within(path, root) for root in scope_paths(user, roles))


def holds_any(user: User | AnonymousUser | None, roles: Iterable[str]) -> bool:
    wanted = set(roles)
    return any(g.role in wanted for g in grants_of(user))


def holds_at_root(user: User | AnonymousUser | None, roles: Iterable[str]) -> bool:
    wanted = set(roles)
    return any(g.role in wanted and tree.depth_of(g.unit_path) == 0 for g in grants_of(user))


def holds_at(user: User | AnonymousUser | None, role: str, unit_id: int | None) -> bool:
    """True when ``user`` holds ``role`` granted exactly at the unit (not above it)."""
    return unit_id is not None and any(g.role == role and g.unit_id == unit_id for g in grants_of(user))


def units_where(user: User | AnonymousUser | None, role: str) -> list[int]:
    """Ids of the units at which ``user`` holds ``role``."""
    return sorted({g.unit_id for g in grants_of(user) if g.role == role})
