"""Selectors for nominations: what each user may list, matching ``nominations.rules``."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from exemplar.nominations.enums import NominationState
from exemplar.nominations.models import Nomination
from exemplar.people.domain.grants import holds_at_root, scope_paths, units_where
from exemplar.people.enums import PersonStatus, Role
from exemplar.people.models import Person
from exemplar.programmes.models import Programme

# What the office and vetting departments never see: a unit's private drafts.
UNIT_PRIVATE_STATES = frozenset({NominationState.DRAFT})
# What vetting departments work on.
VETTING_STATES = frozenset({NominationState.CONFIRMED, NominationState.APPROVED, NominationState.VETOED})
# Where a joint nomination gathers signatures: while its unit still holds it.
JOINT_SIGNABLE_STATES = frozenset({NominationState.DRAFT, NominationState.RETURNED})


def _path_q(field: str, paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def visibility_q(user: Any, programme: Programme) -> Q:
    """The condition ``nomination_visible`` applies to one nomination, as a filter."""
    q = Q(pk__in=[])
    # Coordinators: their own unit's nominations (drafts included) ...
    own_units = units_where(user, Role.UNIT_COORDINATOR)
    if own_units:
        q |= Q(unit_id__in=own_units)
        # ... and what their subtree has sent up, or what waits at their unit.
        paths = scope_paths(user, {Role.UNIT_COORDINATOR})
        q |= _path_q("unit__path", paths) & ~Q(state__in=UNIT_PRIVATE_STATES)
        q |= Q(at_unit_id__in=own_units)
    if holds_at_root(user, {Role.PROGRAMME_OFFICE, Role.AUDITOR}):
        q |= ~Q(state__in=UNIT_PRIVATE_STATES)
    if (
        programme.vetting_departments.filter(members=user).exists()
        if getattr(user, "is_authenticated", False)
        else False
    ):
        q |= Q(state__in=VETTING_STATES)
    return q


def nominations_visible_to(user: Any, programme: Programme) -> QuerySet[Nomination]:
    return Nomination.objects.filter(Q(programme=programme) & visibility_q(user, programme))


def nominations_awaiting(user: Any, programme: Programme) -> QuerySet[Nomination]:
    """Nominations waiting for this coordinator to endorse or return."""
    return Nomination.objects.filter(
        programme=programme, state=NominationState.SUBMITTED, at_unit_id__in=units_where(user, Role.UNIT_COORDINATOR)
    )


def own_nominations(person_id: int | None) -> QuerySet[Nomination]:
    """A nominee's own dossiers once submitted: as the person, or as a member of the team."""
    if person_id is None:
        return Nomination.objects.none()
    return (
        Nomination.objects.filter(Q(person_id=person_id) | Q(team__memberships__person_id=person_id))
        .exclude(state__in=UNIT_PRIVATE_STATES)
        .distinct()
    )


# --- coordinators' dashboard, joint nominations (nominate feature) ---------------------------------------


def programmes_open_to_coordinators() -> QuerySet[Programme]:
    """Programmes whose current phase lets units nominate or endorse."""
    open_phase = Q(current_phase__can_nominate=True) | Q(current_phase__can_endorse=True)
    return Programme.objects.filter(open_phase).order_by("-year", "name")


def state_counts(programme: Programme, unit_ids: list[int]) -> dict[int, dict[str, int]]:
    """How many nominations each unit has made, by state: one GROUP BY."""
    rows = (
        Nomination.objects.filter(programme=programme, unit_id__in=unit_ids)
        .values_list("unit_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {pk: {} for pk in unit_ids}
    for unit_id, state, n in rows:
        counts[unit_id][state] = n
    return counts


def unit_nominations(programme: Programme, unit_ids: list[int]) -> QuerySet[Nomination]:
    """The nominations these units made, with what a list shows, newest change first."""
    return (
        Nomination.objects.filter(programme=programme, unit_id__in=unit_ids)
        .select_related("category", "person", "team", "unit", "at_unit")
        .annotate(n_supporters=Count("supporters"))
        .order_by("-updated_at", "-pk")
    )


def joint_nominations_open_to(person: Person | None) -> QuerySet[Nomination]:
    """Joint drafts this employee may sign (matches ``rules.can_sign_joint``): of their unit or a unit above it."""
    if person is None or person.status != PersonStatus.ACTIVE:
        return Nomination.objects.none()
    return (
        Nomination.objects.filter(
            is_joint=True,
            state__in=JOINT_SIGNABLE_STATES,
            programme__allow_joint_nomination=True,
            programme__current_phase__can_nominate=True,
            unit_id__in=[*person.unit.ancestor_ids, person.unit_id],
        )
        .exclude(person_id=person.pk)
        .exclude(team__memberships__person_id=person.pk)
    )


# --- screening and vetting (screening feature); each matches a predicate in ``rules`` ----------------


def office_programmes(user: Any) -> QuerySet[Programme]:
    """Programmes whose screening dashboard ``user`` may open (``nominations.view_office_dashboard``)."""
    if not holds_at_root(user, {Role.PROGRAMME_OFFICE, Role.AUDITOR}):
        return Programme.objects.none()
    return Programme.objects.order_by("-year", "name")


def nominations_to_screen(user: Any, programme: Programme) -> QuerySet[Nomination]:
    """What ``user`` may confirm or reject now (``nominations.screen_nomination``)."""
    phase = programme.current_phase
    if not (holds_at_root(user, {Role.PROGRAMME_OFFICE}) and phase is not None and phase.can_screen):
        return Nomination.objects.none()
    return Nomination.objects.filter(programme=programme, state=NominationState.RECEIVED)


def vetting_programmes(user: Any) -> QuerySet[Programme]:
    """Programmes with a vetting department ``user`` signs for (``nominations.view_vetting_worklist``)."""
    if not getattr(user, "is_authenticated", False):
        return Programme.objects.none()
    return Programme.objects.filter(vetting_departments__members=user).distinct().order_by("-year", "name")


def nominations_to_vet(user: Any, programme: Programme) -> QuerySet[Nomination]:
    """Candidates ``user`` may record a vetting decision on now (``nominations.vet_nomination``)."""
    phase = programme.current_phase
    if not (phase is not None and phase.can_vet and vetting_programmes(user).filter(pk=programme.pk).exists()):
        return Nomination.objects.none()
    return Nomination.objects.filter(programme=programme, state=NominationState.CONFIRMED)


def findings_visible_to(user: Any, programme: Programme) -> QuerySet[Nomination]:
    """Nominations whose eligibility findings ``user`` may read (``nominations.view_findings``)."""
    q = Q(pk__in=[])
    if holds_at_root(user, {Role.PROGRAMME_OFFICE, Role.AUDITOR}):
        q |= ~Q(state__in=UNIT_PRIVATE_STATES)
    own_units = units_where(user, Role.UNIT_COORDINATOR)
    if own_units:
        q |= Q(unit_id__in=own_units)
        q |= _path_q("unit__path", scope_paths(user, {Role.UNIT_COORDINATOR})) & ~Q(state__in=UNIT_PRIVATE_STATES)
    return Nomination.objects.filter(Q(programme=programme) & q)
