"""Joint nomination: employees of the nominating unit's subtree sign a draft before it goes up.

Where the programme allows it, the nominating unit's coordinator marks a
draft as joint; it is then shown to the employees of the unit's subtree in
their portal, each of whom may sign it once (never their own nomination).
``submit_nomination`` refuses a joint nomination with fewer than
``programme.joint_nomination_size`` signatures.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from exemplar.core import clock
from exemplar.core.domain.audit import log_action
from exemplar.core.domain.notifications import notify
from exemplar.core.errors import DomainError
from exemplar.nominations.enums import NominationState
from exemplar.nominations.models import JointSupporter, Nomination
from exemplar.people.domain import tree
from exemplar.people.domain.grants import holds_at
from exemplar.people.domain.roles import holders_at
from exemplar.people.enums import PersonStatus, Role
from exemplar.people.models import Person, TeamMembership, User
from exemplar.programmes.domain.capabilities import Capability, phase_allows

EDITABLE_STATES = frozenset({NominationState.DRAFT, NominationState.RETURNED})


def _locked(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("programme__current_phase", "unit")
        .get(pk=nomination.pk)
    )


def _require_open(nomination: Nomination) -> None:
    if not nomination.programme.allow_joint_nomination:
        raise DomainError(_("This programme does not allow joint nominations."), code="joint_not_allowed")
    if nomination.state not in EDITABLE_STATES:
        raise DomainError(_("Only a draft or a returned nomination can be signed or changed."), code="not_editable")
    if not phase_allows(nomination.programme, Capability.NOMINATE):
        raise DomainError(_("The programme's current phase does not allow this."), code="phase_closed")


def _require_coordinator(actor: User, nomination: Nomination) -> None:
    if not holds_at(actor, Role.UNIT_COORDINATOR, nomination.unit_id):
        raise DomainError(
            _("Only the coordinator of %(unit)s can do this.") % {"unit": nomination.unit.display_name},
            code="not_coordinator",
        )


def mark_joint(nomination: Nomination, *, actor: User, at: datetime | None = None) -> Nomination:
    """Open a draft to signatures by the employees of the nominating unit's subtree.

    Logs ``exemplar.nominations.joint_marked``.
    """
    at = at or clock.now()
    with transaction.atomic():
        nomination = _locked(nomination)
        _require_open(nomination)
        _require_coordinator(actor, nomination)
        if nomination.is_joint:
            return nomination
        nomination.is_joint, nomination.updated_at = True, at
        nomination.save(update_fields=["is_joint", "updated_at"])
        log_action(
            actor,
            "exemplar.nominations.joint_marked",
            nomination,
            {"needed": nomination.programme.joint_nomination_size},
            at=at,
        )
    return nomination


def unmark_joint(nomination: Nomination, *, actor: User, at: datetime | None = None) -> Nomination:
    """Make a joint draft an ordinary one again; the signatures gathered are dropped (their count is logged).

    Logs ``exemplar.nominations.joint_unmarked``.
    """
    at = at or clock.now()
    with transaction.atomic():
        nomination = _locked(nomination)
        if nomination.state not in EDITABLE_STATES:
            raise DomainError(_("Only a draft or a returned nomination can be changed."), code="not_editable")
        _require_coordinator(actor, nomination)
        if not nomination.is_joint:
            return nomination
        dropped, _detail = JointSupporter.objects.filter(nomination=nomination).delete()
        nomination.is_joint, nomination.updated_at = False, at
        nomination.save(update_fields=["is_joint", "updated_at"])
        log_action(actor, "exemplar.nominations.joint_unmarked", nomination, {"signatures_dropped": dropped}, at=at)
    return nomination


def _require_may_sign(nomination: Nomination, person: Person) -> None:
    if not nomination.is_joint:
        raise DomainError(_("This nomination is not open to joint signatures."), code="not_joint")
    if person.status != PersonStatus.ACTIVE:
        raise DomainError(_("Only active employees can sign a joint nomination."), code="inactive")
    if not tree.is_within(person.unit.path, nomination.unit.path):
        raise DomainError(
            _("Only employees of %(unit)s and the units below it can sign this nomination.")
            % {"unit": nomination.unit.display_name},
            code="outside_subtree",
        )
    own = nomination.person_id == person.pk or (
        nomination.team_id is not None
        and TeamMembership.objects.filter(team_id=nomination.team_id, person=person).exists()
    )
    if own:
        raise DomainError(_("You cannot sign a nomination of yourself or of your own team."), code="own_nomination")


def sign_joint_nomination(nomination: Nomination, *, actor: User, at: datetime | None = None) -> JointSupporter:
    """The signed-in employee signs a joint nomination, once.

    Preconditions: the programme allows joint nominations and is in a phase
    that allows nominating; the nomination is a joint draft (or returned);
    the actor is an active employee of the nominating unit's subtree and not
    the nominee nor a member of the nominated team; they have not signed it
    yet. Notifies the unit's coordinators when the last signature needed
    arrives. Logs ``exemplar.nominations.joint_signed``.
    """
    at = at or clock.now()
    person = Person.objects.select_related("unit").filter(pk=actor.person_id).first() if actor.person_id else None
    if person is None:
        raise DomainError(_("Your account is not linked to an employee record."), code="no_person")
    with transaction.atomic():
        nomination = _locked(nomination)
        _require_open(nomination)
        _require_may_sign(nomination, person)
        if JointSupporter.objects.filter(nomination=nomination, person=person).exists():
            raise DomainError(_("You have already signed this nomination."), code="already_signed")
        try:
            with transaction.atomic():
                supporter = JointSupporter.objects.create(nomination=nomination, person=person, signed_at=at)
        except IntegrityError as exc:  # a second click racing the first
            raise DomainError(_("You have already signed this nomination."), code="already_signed") from exc
        count = JointSupporter.objects.filter(nomination=nomination).count()
        needed = nomination.programme.joint_nomination_size
        log_action(
            actor,
            "exemplar.nominations.joint_signed",
            nomination,
            {"person": person.staff_number, "signatures": count, "needed": needed},
            at=at,
        )
        if count == needed:
            notify(
                holders_at(nomination.unit, Role.UNIT_COORDINATOR),
                _("Joint nomination %(ref)s has the %(n)d signatures it needs and can be submitted.")
                % {"ref": nomination.reference, "n": needed},
                url=nomination.get_absolute_url(),
                at=at,
            )
    return supporter
