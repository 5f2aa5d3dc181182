"""The nomination's way up the unit tree: draft, submit, endorse or return, withdraw.

A unit's coordinator drafts a nomination for a person or team of the unit's
subtree; submitting sends it to the parent unit (counting against the
unit's quota); the parent's coordinator endorses it (counting against the
parent's quota) or returns it with a reason. When the next unit up is the
group itself, the nomination reaches the programme office.
"""

from __future__ import annotations

from datetime import datetime

import nh3
from django.db import transaction
from django.utils.translation import gettext as _

from exemplar.core import clock
from exemplar.core.domain.audit import log_action
from exemplar.core.domain.notifications import notify
from exemplar.core.errors import DomainError
from exemplar.nominations.domain.quota import consume_quota, release_quota
from exemplar.nominations.domain.screening import check_nomination
from exemplar.nominations.enums import NominationState, StepAction
from exemplar.nominations.models import JointSupporter, Nomination, NominationStep
from exemplar.people.domain import tree
from exemplar.people.domain.grants import holds_at
from exemplar.people.domain.roles import group_office, holders_at
from exemplar.people.enums import Role
from exemplar.people.models import OrgUnit, Person, Team, User
from exemplar.programmes.domain.capabilities import Capability, phase_allows
from exemplar.programmes.models import Category, Programme

# The formatting a deeds narrative may keep; everything else is stripped.
ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote", "h3", "h4"}
EDITABLE_STATES = frozenset({NominationState.DRAFT, NominationState.RETURNED})
WITHDRAWABLE_STATES = frozenset(
    {NominationState.DRAFT, NominationState.RETURNED, NominationState.SUBMITTED, NominationState.RECEIVED}
)


def sanitise_deeds(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={}, link_rel=None).strip()


def _require_phase(programme: Programme, capability: Capability) -> None:
    if not phase_allows(programme, capability):
        raise DomainError(_("The programme's current phase does not allow this."), code="phase_closed")


def _require_coordinator(actor: User, unit: OrgUnit) -> None:
    if not holds_at(actor, Role.UNIT_COORDINATOR, unit.pk):
        raise DomainError(
            _("Only the coordinator of %(unit)s can do this.") % {"unit": unit.display_name}, code="not_coordinator"
        )


def _check_nominee(category: Category, unit: OrgUnit, person: Person | None, team: Team | None) -> None:
    if category.is_collective:
        if team is None or person is not None:
            raise DomainError(_("This category honours teams: choose a team."), code="wrong_kind")
        nominee_path = team.unit.path
    else:
        if person is None or team is not None:
            raise DomainError(_("This category honours individuals: choose a person."), code="wrong_kind")
        nominee_path = person.unit.path
    if not tree.is_within(nominee_path, unit.path):
        raise DomainError(_("A unit can only nominate people and teams of its own subtree."), code="outside_subtree")


def _step(
    nomination: Nomination, action: str, actor: User, at: datetime, *, unit: OrgUnit | None, reason: str = ""
) -> None:
    NominationStep.objects.create(nomination=nomination, action=action, unit=unit, actor=actor, at=at, reason=reason)


def _route_up(nomination: Nomination, from_unit: OrgUnit) -> StepAction:
    """Move the nomination to the unit above ``from_unit``, or to the office at the top."""
    parent = from_unit.parent
    if parent is None or parent.parent_id is None:
        nomination.state, nomination.at_unit = NominationState.RECEIVED, None
        return StepAction.FORWARDED
    nomination.state, nomination.at_unit = NominationState.SUBMITTED, parent
    return StepAction.SUBMITTED


def _notify_next(nomination: Nomination, at: datetime) -> None:
    if nomination.state == NominationState.RECEIVED:
        notify(
            group_office(),
            _("Nomination %(ref)s has reached the programme office.") % {"ref": nomination.reference},
            url=nomination.get_absolute_url(),
            at=at,
        )
    else:
        notify(
            holders_at(nomination.at_unit, Role.UNIT_COORDINATOR),
            _("Nomination %(ref)s awaits your endorsement.") % {"ref": nomination.reference},
            url=nomination.get_absolute_url(),
            at=at,
        )


def create_nomination(
    *,
    programme: Programme,
    category: Category,
    unit: OrgUnit,
    person: Person | None = None,
    team: Team | None = None,
    title: str,
    deeds: str,
    achievements: str = "",
    actor: User,
    at: datetime | None = None,
) -> Nomination:
    """Draft a nomination of ``person`` or ``team`` by ``unit``, visible only to that unit.

    Preconditions: the phase allows nominating, ``actor`` coordinates ``unit``,
    the category is the programme's and fits the nominee's kind, the nominee
    lies in ``unit``'s subtree. Logs ``exemplar.nominations.created``.
    """
    at = at or clock.now()
    if category.programme_id != programme.pk:
        raise DomainError(_("That category is not part of this programme."))
    _require_phase(programme, Capability.NOMINATE)
    _require_coordinator(actor, unit)
    _check_nominee(category, unit, person, team)
    with transaction.atomic():
        nomination = Nomination.objects.create(
            programme=programme,
            category=category,
            person=person,
            team=team,
            unit=unit,
            reference=f"new:{programme.pk}:{unit.pk}:{at.timestamp()}:{actor.pk}",
            title=title.strip(),
            deeds=sanitise_deeds(deeds),
            achievements=achievements.strip(),
            created_by=actor,
            created_at=at,
            updated_at=at,
        )
        nomination.reference = f"{programme.year}-{category.code.upper()}-{nomination.pk:05d}"
        nomination.save(update_fields=["reference"])
        _step(nomination, StepAction.CREATED, actor, at, unit=unit)
        log_action(
            actor, "exemplar.nominations.created", nomination, {"category": category.code, "unit": unit.code}, at=at
        )
    return nomination


def update_nomination(
    nomination: Nomination, *, title: str, deeds: str, achievements: str, actor: User, at: datetime | None = None
) -> Nomination:
    """Edit a draft or returned dossier. Logs ``exemplar.nominations.updated`` with the fields changed."""
    at = at or clock.now()
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if nomination.state not in EDITABLE_STATES:
            raise DomainError(_("Only drafts and returned nominations can be edited."), code="not_editable")
        _require_coordinator(actor, nomination.unit)
        new = {"title": title.strip(), "deeds": sanitise_deeds(deeds), "achievements": achievements.strip()}
        changed = sorted(k for k, v in new.items() if getattr(nomination, k) != v)
        for key, value in new.items():
            setattr(nomination, key, value)
        nomination.updated_at = at
        nomination.save(update_fields=[*new, "updated_at"])
        if changed:
            log_action(actor, "exemplar.nominations.updated", nomination, {"fields": changed}, at=at)
    return nomination


def submit_nomination(nomination: Nomination, *, actor: User, at: datetime | None = None) -> Nomination:
    """Send a draft (or returned) nomination up to the parent unit, counting it against the unit's quota.

    Refuses when the phase is closed, the actor is not the unit's coordinator,
    a joint nomination lacks supporters, or the quota is used up; nothing
    changes then. Notifies the next coordinator (or the office). Logs
    ``exemplar.nominations.submitted``.
    """
    at = at or clock.now()
    with transaction.atomic():
        nomination = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("unit__parent", "programme")
            .get(pk=nomination.pk)
        )
        if nomination.state not in EDITABLE_STATES:
            raise DomainError(_("This nomination has already been submitted."), code="not_editable")
        _require_phase(nomination.programme, Capability.NOMINATE)
        _require_coordinator(actor, nomination.unit)
        if nomination.is_joint:
            needed = nomination.programme.joint_nomination_size
            have = JointSupporter.objects.filter(nomination=nomination).count()
            if have < needed:
                raise DomainError(
                    _("A joint nomination needs %(needed)d supporters; it has %(have)d.")
                    % {"needed": needed, "have": have}
                )
        consume_quota(nomination, nomination.unit)
        action = _route_up(nomination, nomination.unit)
        nomination.submitted_at = nomination.updated_at = at
        nomination.decision_reason = ""
        nomination.save(update_fields=["state", "at_unit", "submitted_at", "updated_at", "decision_reason"])
        check_nomination(nomination, at=at)  # eligibility and duplicates, shown to the office and the unit
        _step(nomination, StepAction.SUBMITTED, actor, at, unit=nomination.unit)
        if action == StepAction.FORWARDED:
            _step(nomination, StepAction.FORWARDED, actor, at, unit=nomination.unit)
        log_action(
            actor,
            "exemplar.nominations.submitted",
            nomination,
            {"unit": nomination.unit.code, "to": nomination.at_unit.code if nomination.at_unit else "office"},
            at=at,
        )
        _notify_next(nomination, at)
    return nomination


def endorse_nomination(nomination: Nomination, *, actor: User, at: datetime | None = None) -> Nomination:
    """Endorse a nomination waiting at the actor's unit and send it on up, counting against that unit's quota.

    Logs ``exemplar.nominations.endorsed``; notifies the next coordinator or the office.
    """
    at = at or clock.now()
    with transaction.atomic():
        nomination = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("at_unit__parent", "programme")
            .get(pk=nomination.pk)
        )
        if nomination.state != NominationState.SUBMITTED or nomination.at_unit is None:
            raise DomainError(_("This nomination is not waiting for an endorsement."), code="not_waiting")
        _require_phase(nomination.programme, Capability.ENDORSE)
        here = nomination.at_unit
        _require_coordinator(actor, here)
        consume_quota(nomination, here)
        action = _route_up(nomination, here)
        nomination.updated_at = at
        nomination.save(update_fields=["state", "at_unit", "updated_at"])
        _step(nomination, StepAction.ENDORSED, actor, at, unit=here)
        if action == StepAction.FORWARDED:
            _step(nomination, StepAction.FORWARDED, actor, at, unit=here)
        log_action(
            actor,
            "exemplar.nominations.endorsed",
            nomination,
            {"unit": here.code, "to": nomination.at_unit.code if nomination.at_unit else "office"},
            at=at,
        )
        _notify_next(nomination, at)
    return nomination


def return_nomination(nomination: Nomination, *, reason: str, actor: User, at: datetime | None = None) -> Nomination:
    """Send a waiting nomination back to the nominating unit with a reason it will see.

    Every quota the nomination held along the way is given back. Logs
    ``exemplar.nominations.returned``; notifies the nominating unit's coordinators.
    """
    at = at or clock.now()
    reason = reason.strip()
    if not reason:
        raise DomainError(
            _("Say why the nomination is returned: the nominating unit will read it."), code="reason_required"
        )
    with transaction.atomic():
        nomination = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("at_unit", "programme", "unit")
            .get(pk=nomination.pk)
        )
        if nomination.state != NominationState.SUBMITTED or nomination.at_unit is None:
            raise DomainError(_("This nomination is not waiting for an endorsement."), code="not_waiting")
        _require_phase(nomination.programme, Capability.ENDORSE)
        here = nomination.at_unit
        _require_coordinator(actor, here)
        release_quota(nomination)
        nomination.state, nomination.at_unit = NominationState.RETURNED, None
        nomination.decision_reason, nomination.updated_at = reason, at
        nomination.save(update_fields=["state", "at_unit", "decision_reason", "updated_at"])
        _step(nomination, StepAction.RETURNED, actor, at, unit=here, reason=reason)
        log_action(actor, "exemplar.nominations.returned", nomination, {"unit": here.code, "reason": reason}, at=at)
        notify(
            holders_at(nomination.unit, Role.UNIT_COORDINATOR),
            _("Nomination %(ref)s was returned by %(unit)s: %(reason)s")
            % {"ref": nomination.reference, "unit": here.display_name, "reason": reason},
            url=nomination.get_absolute_url(),
            at=at,
        )
    return nomination


def withdraw_nomination(nomination: Nomination, *, reason: str, actor: User, at: datetime | None = None) -> Nomination:
    """The nominating unit withdraws its nomination before screening; its quotas are given back.

    Logs ``exemplar.nominations.withdrawn``.
    """
    at = at or clock.now()
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update(of=("self",)).select_related("unit").get(pk=nomination.pk)
        if nomination.state not in WITHDRAWABLE_STATES:
            raise DomainError(_("This nomination can no longer be withdrawn."), code="not_withdrawable")
        _require_coordinator(actor, nomination.unit)
        release_quota(nomination)
        nomination.state, nomination.at_unit = NominationState.WITHDRAWN, None
        nomination.decision_reason, nomination.updated_at = reason.strip(), at
        nomination.save(update_fields=["state", "at_unit", "decision_reason", "updated_at"])
        _step(nomination, StepAction.WITHDRAWN, actor, at, unit=nomination.unit, reason=reason.strip())
        log_action(actor, "exemplar.nominations.withdrawn", nomination, {"reason": reason.strip()}, at=at)
    return nomination
