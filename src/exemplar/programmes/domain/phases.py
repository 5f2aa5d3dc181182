"""A programme's phases: adding, editing and removing them, and moving the programme between them.

The rules of the moves (order, blockers) are pure and live in ``lifecycle``;
this module gathers the facts, applies the move in one transaction and
writes the audit entry.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exemplar.core import clock
from exemplar.core.domain.audit import log_action
from exemplar.core.errors import DomainError
from exemplar.people.models import User
from exemplar.programmes.domain.capabilities import Capability
from exemplar.programmes.domain.facts import programme_facts
from exemplar.programmes.domain.lifecycle import (
    DEFAULT_CAPABILITIES,
    PHASE_ORDER,
    REQUIRED_PHASES,
    Blocker,
    Direction,
    blockers_for,
    position,
    transition_refusal,
)
from exemplar.programmes.enums import PhaseKind
from exemplar.programmes.models import Phase, Programme

CAPABILITY_FIELDS = tuple(c.value for c in Capability)


class PhaseBlocked(DomainError):  # noqa: N818 — named for what the caller sees, like DomainError
    """Moving on is refused while ``blockers`` remain; nothing changed."""

    def __init__(self, blockers: Sequence[Blocker], *, target: str) -> None:
        n = len(blockers)
        message = ngettext(
            "The programme cannot move on to “%(phase)s” yet: %(n)d thing stands in the way.",
            "The programme cannot move on to “%(phase)s” yet: %(n)d things stand in the way.",
            n,
        ) % {"phase": PhaseKind(target).label, "n": n}
        super().__init__(message, code="phase_blocked")
        self.blockers = list(blockers)


def describe_blocker(blocker: Blocker) -> str:
    """The blocker as a sentence for the programme office."""
    p = blocker.data
    count = int(p.get("count", 0))
    texts = {
        "setup.no_categories": lambda: _("No category has been set up."),
        "setup.no_rubric": lambda: _("The rubric has no weighted criterion."),
        "setup.criterion_without_levels": lambda: _("The criterion “%(criterion)s” describes no score level.") % p,
        "setup.no_phases": lambda: _("The programme has no phases."),
        "setup.no_vetting_departments": lambda: _(
            "The next phase vets candidates, but no vetting department is set up."
        ),
        "setup.department_without_signatories": lambda: (
            _("The vetting department “%(department)s” has no signatory.") % p
        ),
        "nominations.open_drafts": lambda: (
            ngettext(
                "%(count)d nomination is still a draft or returned to its unit.",
                "%(count)d nominations are still drafts or returned to their units.",
                count,
            )
            % {"count": count}
        ),
        "nominations.waiting_at_units": lambda: (
            ngettext(
                "%(count)d nomination still waits for a unit's endorsement.",
                "%(count)d nominations still wait for a unit's endorsement.",
                count,
            )
            % {"count": count}
        ),
        "nominations.not_screened": lambda: (
            ngettext(
                "%(count)d received nomination has not been screened.",
                "%(count)d received nominations have not been screened.",
                count,
            )
            % {"count": count}
        ),
        "nominations.not_vetted": lambda: (
            ngettext(
                "%(count)d confirmed candidate still lacks a department's sign-off.",
                "%(count)d confirmed candidates still lack a department's sign-off.",
                count,
            )
            % {"count": count}
        ),
        "candidates.too_few": lambda: (
            _(
                "%(category)s has %(candidates)d candidates for %(seats)d seats; "
                "this phase needs at least %(needed)d before it ends."
            )
            % p
        ),
    }
    text = texts.get(blocker.code)
    return text() if text is not None else blocker.code


def current_position(programme: Programme) -> int:
    """Where the programme stands in the canonical order (set-up when it has no current phase)."""
    phase = programme.current_phase
    return position(phase.kind) if phase is not None else 0


def require_before(programme: Programme, kind: str) -> None:
    """Refuse when the programme has already reached phase ``kind`` (or a later one)."""
    if current_position(programme) >= position(kind):
        raise DomainError(
            _("This can no longer change: the programme has reached the phase “%(phase)s”.")
            % {"phase": PhaseKind(kind).label},
            code="phase_locked",
        )


def _ordered(programme: Programme) -> list[Phase]:
    return list(Phase.objects.filter(programme=programme).order_by("order"))


def lock_programme(programme: Programme) -> Programme:
    """The programme row, locked for the rest of the transaction, with its current phase."""
    return Programme.objects.select_for_update(of=("self",)).select_related("current_phase").get(pk=programme.pk)


def _check_window(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise DomainError(_("A phase must close after it opens."), code="bad_window")


def _check_ratio(min_candidates_per_seat: Decimal | None) -> None:
    if min_candidates_per_seat is not None and min_candidates_per_seat < 0:
        raise DomainError(_("The candidates needed per seat cannot be negative."), code="bad_ratio")


def _flags(capabilities: Collection[str]) -> dict[str, bool]:
    unknown = set(capabilities) - set(CAPABILITY_FIELDS)
    if unknown:
        raise DomainError(_("Unknown phase capability: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    return {f: f in capabilities for f in CAPABILITY_FIELDS}


def add_phase(
    programme: Programme,
    *,
    kind: str,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    min_candidates_per_seat: Decimal | None = None,
    capabilities: Collection[str] | None = None,
    actor: User,
    at: datetime | None = None,
) -> Phase:
    """Put back a phase the programme left out, in its place in the usual order, with its usual flags by default.

    Only phases still ahead of the current one can be added. Logs ``exemplar.programmes.phase_added``.
    """
    at = at or clock.now()
    if kind not in PHASE_ORDER:
        raise DomainError(_("Unknown phase."), code="unknown_phase")
    _check_window(starts_at, ends_at)
    _check_ratio(min_candidates_per_seat)
    flags = _flags(DEFAULT_CAPABILITIES[kind] if capabilities is None else capabilities)
    with transaction.atomic():
        programme = lock_programme(programme)
        if Phase.objects.filter(programme=programme, kind=kind).exists():
            raise DomainError(_("The programme already has this phase."), code="duplicate_phase")
        if position(kind) <= current_position(programme):
            raise DomainError(_("Only phases still ahead can be added."), code="phase_past")
        phase = Phase.objects.create(
            programme=programme,
            kind=kind,
            order=position(kind),
            starts_at=starts_at,
            ends_at=ends_at,
            min_candidates_per_seat=min_candidates_per_seat,
            **flags,
        )
        log_action(actor, "exemplar.programmes.phase_added", programme, {"phase": kind}, at=at)
    return phase


def update_phase(
    phase: Phase,
    *,
    starts_at: datetime | None,
    ends_at: datetime | None,
    min_candidates_per_seat: Decimal | None,
    capabilities: Collection[str],
    actor: User,
    at: datetime | None = None,
) -> Phase:
    """Set a phase's window, flags and candidates-per-seat ratio. Past phases stay as they were.

    Changing the current phase's flags takes effect at once (closing
    nominations early, say). Logs ``exemplar.programmes.phase_updated`` with the fields changed.
    """
    at = at or clock.now()
    _check_window(starts_at, ends_at)
    _check_ratio(min_candidates_per_seat)
    flags = _flags(capabilities)
    with transaction.atomic():
        programme = lock_programme(phase.programme)
        phase = Phase.objects.select_for_update().get(pk=phase.pk)
        if position(phase.kind) < current_position(programme):
            raise DomainError(_("A past phase cannot change."), code="phase_past")
        new: dict[str, object] = {
            "starts_at": starts_at,
            "ends_at": ends_at,
            "min_candidates_per_seat": min_candidates_per_seat,
            **flags,
        }
        changed = sorted(k for k, v in new.items() if getattr(phase, k) != v)
        for key, value in new.items():
            setattr(phase, key, value)
        phase.save(update_fields=list(new))
        if changed:
            log_action(
                actor, "exemplar.programmes.phase_updated", programme, {"phase": phase.kind, "fields": changed}, at=at
            )
    return phase


def delete_phase(phase: Phase, *, actor: User, at: datetime | None = None) -> None:
    """Leave an optional phase out of the programme. Only phases still ahead; never a required one.

    Logs ``exemplar.programmes.phase_deleted``.
    """
    at = at or clock.now()
    if phase.kind in REQUIRED_PHASES:
        raise DomainError(
            _("Every programme has the phase “%(phase)s”.") % {"phase": PhaseKind(phase.kind).label},
            code="required_phase",
        )
    with transaction.atomic():
        programme = lock_programme(phase.programme)
        if position(phase.kind) <= current_position(programme):
            raise DomainError(_("Only phases still ahead can be removed."), code="phase_past")
        Phase.objects.filter(pk=phase.pk).delete()
        log_action(actor, "exemplar.programmes.phase_deleted", programme, {"phase": phase.kind}, at=at)


def _refuse(code: str) -> DomainError:
    messages = {
        "unknown_phase": _("The programme has no such phase."),
        "not_next": _("The programme can only move on to its next phase."),
        "not_previous": _("The programme can only go back one phase."),
        "irreversible": _("The programme cannot go back from this phase: its results are already out."),
    }
    return DomainError(messages.get(code, code), code=code)


def advance_programme(
    programme: Programme, *, actor: User, at: datetime | None = None, from_kind: str | None = None
) -> Phase:
    """Move the programme on to its next phase, if nothing blocks the move.

    ``from_kind`` is the phase the office saw when it asked: if the
    programme has moved on since (a second click, a colleague), the request
    is refused rather than skipping a phase. While any blocker remains
    (``lifecycle.blockers_for``) raises ``PhaseBlocked`` carrying them and
    changes nothing. Logs ``exemplar.programmes.phase_advanced``.
    """
    at = at or clock.now()
    with transaction.atomic():
        programme = lock_programme(programme)
        phases = _ordered(programme)
        current = programme.current_phase
        if from_kind is not None and (current is None or current.kind != from_kind):
            raise DomainError(_("The programme has already moved on; look again."), code="stale")
        kinds = [p.kind for p in phases]
        current_kind = current.kind if current is not None else None
        index = kinds.index(current_kind) + 1 if current_kind in kinds else 0
        if index >= len(phases):
            raise DomainError(_("This is the programme's last phase."), code="last_phase")
        target = phases[index]
        refusal = transition_refusal(kinds, current_kind, target.kind, Direction.FORWARD)
        if refusal:
            raise _refuse(refusal)
        blockers = blockers_for(current_kind, target.kind, programme_facts(programme, leaving=current, entering=target))
        if blockers:
            raise PhaseBlocked(blockers, target=target.kind)
        _enter(programme, target, at)
        log_action(
            actor,
            "exemplar.programmes.phase_advanced",
            programme,
            {"from": current_kind, "to": target.kind},
            at=at,
        )
    return target


def step_back_programme(programme: Programme, *, reason: str, actor: User, at: datetime | None = None) -> Phase:
    """Go back one phase, with a reason, out of a phase whose work can still be redone.

    Allowed out of nomination, screening, vetting and review only (see
    ``lifecycle``). Logs ``exemplar.programmes.phase_stepped_back`` with the reason.
    """
    at = at or clock.now()
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the programme goes back a phase."), code="reason_required")
    with transaction.atomic():
        programme = lock_programme(programme)
        phases = _ordered(programme)
        current = programme.current_phase
        kinds = [p.kind for p in phases]
        current_kind = current.kind if current is not None else None
        if current_kind not in kinds or kinds.index(current_kind) == 0:
            raise _refuse("not_previous")
        target = phases[kinds.index(current_kind) - 1]
        refusal = transition_refusal(kinds, current_kind, target.kind, Direction.BACK)
        if refusal:
            raise _refuse(refusal)
        _enter(programme, target, at)
        log_action(
            actor,
            "exemplar.programmes.phase_stepped_back",
            programme,
            {"from": current_kind, "to": target.kind, "reason": reason},
            at=at,
        )
    return target


def _enter(programme: Programme, phase: Phase, at: datetime) -> None:
    phase.entered_at = at
    phase.save(update_fields=["entered_at"])
    programme.current_phase = phase
    programme.save(update_fields=["current_phase"])
