"""Permission predicates for nominations; each list has its selector in ``domain.queries``."""

from __future__ import annotations

from typing import Any

import rules

from exemplar.nominations.domain.queries import JOINT_SIGNABLE_STATES, UNIT_PRIVATE_STATES, VETTING_STATES
from exemplar.nominations.enums import NominationState
from exemplar.nominations.models import Nomination
from exemplar.people.domain import tree
from exemplar.people.domain.grants import holds_any, holds_at, holds_at_root, scope_paths, units_where
from exemplar.people.enums import PersonStatus, Role
from exemplar.people.models import OrgUnit
from exemplar.programmes.domain.capabilities import Capability, phase_allows


def _is_vetting_member(user: Any, nomination: Nomination) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return nomination.programme.vetting_departments.filter(members=user).exists()


@rules.predicate
def nomination_visible(user: Any, nomination: Nomination | None) -> bool:
    if nomination is None:
        return False
    own_units = units_where(user, Role.UNIT_COORDINATOR)
    if nomination.unit_id in own_units or nomination.at_unit_id in own_units:
        return True
    private = nomination.state in UNIT_PRIVATE_STATES
    if not private and any(tree.is_within(nomination.unit.path, p) for p in scope_paths(user, {Role.UNIT_COORDINATOR})):
        return True
    if not private and holds_at_root(user, {Role.PROGRAMME_OFFICE, Role.AUDITOR}):
        return True
    return nomination.state in VETTING_STATES and _is_vetting_member(user, nomination)


@rules.predicate
def is_own_dossier(user: Any, nomination: Nomination | None) -> bool:
    person_id = getattr(user, "person_id", None)
    if nomination is None or person_id is None or nomination.state in UNIT_PRIVATE_STATES:
        return False
    if nomination.person_id == person_id:
        return True
    team = nomination.team
    return bool(team is not None and team.memberships.filter(person_id=person_id).exists())


@rules.predicate
def can_edit(user: Any, nomination: Nomination | None) -> bool:
    return (
        nomination is not None
        and nomination.state in {NominationState.DRAFT, NominationState.RETURNED}
        and holds_at(user, Role.UNIT_COORDINATOR, nomination.unit_id)
        and phase_allows(nomination.programme, Capability.NOMINATE)
    )


@rules.predicate
def can_endorse(user: Any, nomination: Nomination | None) -> bool:
    return (
        nomination is not None
        and nomination.state == NominationState.SUBMITTED
        and holds_at(user, Role.UNIT_COORDINATOR, nomination.at_unit_id)
        and phase_allows(nomination.programme, Capability.ENDORSE)
    )


@rules.predicate
def can_withdraw(user: Any, nomination: Nomination | None) -> bool:
    return (
        nomination is not None
        and nomination.state
        in {NominationState.DRAFT, NominationState.RETURNED, NominationState.SUBMITTED, NominationState.RECEIVED}
        and holds_at(user, Role.UNIT_COORDINATOR, nomination.unit_id)
    )


rules.add_perm("nominations.view_nomination", nomination_visible)
rules.add_perm("nominations.view_own_dossier", is_own_dossier)
rules.add_perm("nominations.change_nomination", can_edit)
rules.add_perm("nominations.submit_nomination", can_edit)
rules.add_perm("nominations.endorse_nomination", can_endorse)
rules.add_perm("nominations.withdraw_nomination", can_withdraw)


# --- nominating, joint nominations (nominate feature) ------------------------------------------------------


@rules.predicate
def is_coordinator(user: Any) -> bool:
    return bool(units_where(user, Role.UNIT_COORDINATOR))


@rules.predicate
def coordinates_unit(user: Any, unit: OrgUnit | None) -> bool:
    """The user coordinates exactly this unit: they may nominate for it (selector: ``units_where``)."""
    return unit is not None and holds_at(user, Role.UNIT_COORDINATOR, unit.pk)


@rules.predicate
def joint_allowed(user: Any, nomination: Nomination | None) -> bool:
    return nomination is not None and nomination.programme.allow_joint_nomination


@rules.predicate
def can_sign_joint(user: Any, nomination: Nomination | None) -> bool:
    """Matches ``queries.joint_nominations_open_to``: a joint draft of the user's unit or a unit above, not their own."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if nomination is None or person is None or person.status != PersonStatus.ACTIVE:
        return False
    if not (
        nomination.is_joint
        and nomination.state in JOINT_SIGNABLE_STATES
        and nomination.programme.allow_joint_nomination
        and phase_allows(nomination.programme, Capability.NOMINATE)
        and tree.is_within(person.unit.path, nomination.unit.path)
    ):
        return False
    if nomination.person_id == person.pk:
        return False
    team = nomination.team
    return not (team is not None and team.memberships.filter(person_id=person.pk).exists())


rules.add_perm("nominations.coordinate", is_coordinator)
# Also a plain rule: the sidebar tests it without falling through to the model backend's permission queries.
rules.add_rule("nominations.coordinate", is_coordinator)
rules.add_perm("nominations.nominate_for_unit", coordinates_unit)
rules.add_perm("nominations.mark_joint", can_edit & joint_allowed)
rules.add_perm("nominations.sign_joint", can_sign_joint)


# --- screening and vetting (screening feature); selectors in ``domain.queries`` ----------------------


@rules.predicate
def is_root_office_or_auditor(user: Any, obj: object = None) -> bool:
    return holds_at_root(user, {Role.PROGRAMME_OFFICE, Role.AUDITOR})


@rules.predicate
def is_root_office(user: Any, obj: object = None) -> bool:
    return holds_at_root(user, {Role.PROGRAMME_OFFICE})


@rules.predicate
def holds_vetting_role(user: Any) -> bool:
    """Cheap (grants are cached): guards the sidebar entry; the pages check department membership."""
    return holds_any(user, {Role.VETTING})


@rules.predicate
def signs_for_programme(user: Any, programme: Any) -> bool:
    return (
        programme is not None
        and getattr(user, "is_authenticated", False)
        and programme.vetting_departments.filter(members=user).exists()
    )


@rules.predicate
def can_screen(user: Any, nomination: Nomination | None) -> bool:
    return (
        nomination is not None
        and nomination.state == NominationState.RECEIVED
        and holds_at_root(user, {Role.PROGRAMME_OFFICE})
        and phase_allows(nomination.programme, Capability.SCREEN)
    )


@rules.predicate
def can_vet(user: Any, nomination: Nomination | None) -> bool:
    return (
        nomination is not None
        and nomination.state == NominationState.CONFIRMED
        and phase_allows(nomination.programme, Capability.VET)
        and _is_vetting_member(user, nomination)
    )


@rules.predicate
def sees_findings(user: Any, nomination: Nomination | None) -> bool:
    """The office and auditors, and the coordinators of the nominating unit or a unit above it."""
    if nomination is None:
        return False
    if nomination.unit_id in units_where(user, Role.UNIT_COORDINATOR):
        return True
    if nomination.state in UNIT_PRIVATE_STATES:
        return False
    if holds_at_root(user, {Role.PROGRAMME_OFFICE, Role.AUDITOR}):
        return True
    return any(tree.is_within(nomination.unit.path, p) for p in scope_paths(user, {Role.UNIT_COORDINATOR}))


rules.add_perm("nominations.view_office_dashboard", is_root_office_or_auditor)
rules.add_perm("nominations.view_vetting_matrix", is_root_office_or_auditor)
rules.add_perm("nominations.view_duplicates", is_root_office_or_auditor)
rules.add_perm("nominations.run_eligibility_checks", is_root_office)
rules.add_perm("nominations.open_vetting", holds_vetting_role)
rules.add_perm("nominations.sign_for_programme", signs_for_programme)
rules.add_perm("nominations.view_vetting_worklist", is_root_office_or_auditor | signs_for_programme)
rules.add_perm("nominations.take_screening_decisions", is_root_office)
rules.add_perm("nominations.screen_nomination", can_screen)
rules.add_perm("nominations.vet_nomination", can_vet)
rules.add_perm("nominations.view_findings", sees_findings)
