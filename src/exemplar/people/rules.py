"""Permission predicates for the organisation (django-rules).

Each predicate guarding a list has a selector in ``people.domain.queries``
that filters the same way.
"""

from __future__ import annotations

import rules

from exemplar.people.domain.grants import covers, holds_any, holds_at_root
from exemplar.people.enums import AUDIT_ROLES, DIRECTORY_ROLES, STAFF_ROLES, Role
from exemplar.people.models import OrgUnit, Person, Team


@rules.predicate
def is_staff_member(user: object) -> bool:
    return holds_any(user, STAFF_ROLES)  # type: ignore[arg-type]


@rules.predicate
def can_browse_directory(user: object) -> bool:
    return holds_any(user, DIRECTORY_ROLES)  # type: ignore[arg-type]


@rules.predicate
def unit_in_scope(user: object, unit: OrgUnit | None) -> bool:
    return unit is not None and covers(user, DIRECTORY_ROLES, unit.path)  # type: ignore[arg-type]


@rules.predicate
def person_in_scope(user: object, person: Person | None) -> bool:
    return person is not None and covers(user, DIRECTORY_ROLES, person.unit.path)  # type: ignore[arg-type]


@rules.predicate
def team_in_scope(user: object, team: Team | None) -> bool:
    return team is not None and covers(user, DIRECTORY_ROLES, team.unit.path)  # type: ignore[arg-type]


@rules.predicate
def is_group_office(user: object) -> bool:
    return holds_at_root(user, {Role.PROGRAMME_OFFICE})  # type: ignore[arg-type]


@rules.predicate
def can_read_audit(user: object) -> bool:
    return holds_at_root(user, AUDIT_ROLES)  # type: ignore[arg-type]


@rules.predicate
def has_person(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "person_id", None))


rules.add_perm("backoffice.enter", is_staff_member)
rules.add_perm("people.browse_directory", can_browse_directory)
rules.add_perm("people.view_unit", unit_in_scope)
rules.add_perm("people.view_person", person_in_scope)
rules.add_perm("people.view_team", team_in_scope)
rules.add_perm("people.import_directory", is_group_office)
rules.add_perm("people.manage_grants", is_group_office)
rules.add_perm("core.read_audit", can_read_audit)
rules.add_perm("portal.enter", rules.is_authenticated)
rules.add_perm("portal.view_own_record", has_person)
