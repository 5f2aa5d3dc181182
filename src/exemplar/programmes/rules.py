"""Permission predicates for programmes."""

from __future__ import annotations

from typing import Any

import rules

from exemplar.people.domain.grants import holds_any, holds_at_root
from exemplar.people.enums import STAFF_ROLES, Role
from exemplar.programmes.domain.capabilities import Capability, phase_allows
from exemplar.programmes.models import Programme


@rules.predicate
def is_group_office(user: Any) -> bool:
    return holds_at_root(user, {Role.PROGRAMME_OFFICE})


@rules.predicate
def is_staff(user: Any) -> bool:
    return holds_any(user, STAFF_ROLES)


@rules.predicate
def is_coordinator(user: Any) -> bool:
    return holds_any(user, {Role.UNIT_COORDINATOR})


@rules.predicate
def nominating_open(user: Any, programme: Programme | None) -> bool:
    return programme is not None and phase_allows(programme, Capability.NOMINATE)


rules.add_perm("programmes.view_programme", is_staff)
rules.add_perm("programmes.manage_programme", is_group_office)
rules.add_perm("nominations.add_nomination", is_coordinator & nominating_open)


# --- nomination quotas (selector: programmes.domain.quotas.quota_table_visible_to) ---


@rules.predicate
def quota_in_scope(user: Any, quota: Any) -> bool:
    """The quota's unit lies in a subtree where ``user`` holds a staff role."""
    from exemplar.people.domain.grants import covers

    return quota is not None and covers(user, STAFF_ROLES, quota.unit.path)


rules.add_perm("programmes.view_quota", is_staff & quota_in_scope)
