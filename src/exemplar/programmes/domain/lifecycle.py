"""The programme's phases: their order, which moves are allowed, and what blocks a move.

Pure: no Django. Phase kinds are the plain strings of ``PhaseKind`` (a test
checks the two stay in step); facts come in as a frozen ``ProgrammeFacts``
built by ``programmes.domain.facts``; blockers go out as frozen ``Blocker``
values whose ``code`` the Django side turns into a translated sentence.

Transitions (see docs/decisions/0005-phase-transitions.md):

* A programme's phases are a subset of the canonical order below, kept in
  that order: the office may leave optional phases out (an election, a
  public notice) but never reorder them, because each phase works on what
  the one before produced.
* Forward: only to the next phase the programme has, and only when
  ``blockers_for`` returns nothing.
* Back: one step, with a reason, and only out of the phases whose work can
  still be redone (nomination, screening, vetting, review). Once employees
  have voted or a list has been published, going back would unpublish
  something people have seen, so it is refused.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise


class Kind(StrEnum):
    """Mirror of ``programmes.enums.PhaseKind`` (values only) for the pure layer."""

    SETUP = "setup"
    NOMINATION = "nomination"
    SCREENING = "screening"
    VETTING = "vetting"
    REVIEW = "review"
    ELECTION = "election"
    DECISION = "decision"
    NOTICE = "notice"
    COMMENDATION = "commendation"
    CLOSED = "closed"


PHASE_ORDER: tuple[str, ...] = tuple(k.value for k in Kind)
# Phases every programme has: the rest may be left out.
REQUIRED_PHASES = frozenset({Kind.SETUP, Kind.NOMINATION, Kind.SCREENING, Kind.DECISION, Kind.CLOSED})
# Phases the programme may step back out of (see the module docstring).
REVERSIBLE_PHASES = frozenset({Kind.NOMINATION, Kind.SCREENING, Kind.VETTING, Kind.REVIEW})

# Capability flags (``Phase.can_*`` field names) a new phase of each kind starts with.
DEFAULT_CAPABILITIES: Mapping[str, frozenset[str]] = {
    Kind.SETUP: frozenset(),
    Kind.NOMINATION: frozenset({"can_nominate", "can_endorse"}),
    Kind.SCREENING: frozenset({"can_screen"}),
    Kind.VETTING: frozenset({"can_vet"}),
    Kind.REVIEW: frozenset({"can_review"}),
    Kind.ELECTION: frozenset({"can_vote"}),
    Kind.DECISION: frozenset(),
    Kind.NOTICE: frozenset({"can_object"}),
    Kind.COMMENDATION: frozenset(),
    Kind.CLOSED: frozenset(),
}

# Counts a fact provider may report (see ``programmes.domain.facts``).
COUNT_DRAFTS = "nominations.open_drafts"  # drafts and returned nominations, still with their units
COUNT_WAITING = "nominations.waiting_at_units"  # submitted, waiting for a unit's endorsement
COUNT_NOT_SCREENED = "nominations.not_screened"  # received by the office, not yet confirmed or rejected
COUNT_NOT_VETTED = "nominations.not_vetted"  # confirmed, some department has not signed off yet
CANDIDATES_PREFIX = "candidates."  # + category code: candidates still in the running


class Direction(StrEnum):
    FORWARD = "forward"
    BACK = "back"


def position(kind: str) -> int:
    """The kind's place in the canonical order; ``ValueError`` for an unknown kind."""
    return PHASE_ORDER.index(kind)


def is_in_order(kinds: Sequence[str]) -> bool:
    """Whether ``kinds`` are known, distinct and in the canonical order."""
    if any(k not in PHASE_ORDER for k in kinds):
        return False
    positions = [position(k) for k in kinds]
    return all(a < b for a, b in pairwise(positions))


def missing_required(kinds: Sequence[str]) -> list[str]:
    return [k for k in PHASE_ORDER if k in REQUIRED_PHASES and k not in kinds]


def next_kind(kinds: Sequence[str], current: str | None) -> str | None:
    """The phase after ``current`` among the programme's ``kinds`` (ordered); the first if none is current."""
    if not kinds:
        return None
    if current is None:
        return kinds[0]
    i = list(kinds).index(current)
    return kinds[i + 1] if i + 1 < len(kinds) else None


def previous_kind(kinds: Sequence[str], current: str | None) -> str | None:
    if current is None or current not in kinds:
        return None
    i = list(kinds).index(current)
    return kinds[i - 1] if i > 0 else None


def transition_refusal(kinds: Sequence[str], current: str | None, target: str, direction: Direction) -> str | None:
    """Why moving from ``current`` to ``target`` is not a legal move, as a code; ``None`` when it is.

    Codes: ``unknown_phase`` (target not among the programme's phases),
    ``not_next`` / ``not_previous`` (skipping phases), ``irreversible``
    (stepping back out of a phase whose work is public or final).
    """
    if target not in kinds:
        return "unknown_phase"
    if direction is Direction.FORWARD:
        return None if next_kind(kinds, current) == target else "not_next"
    if previous_kind(kinds, current) != target:
        return "not_previous"
    if current not in REVERSIBLE_PHASES:
        return "irreversible"
    return None


@dataclass(frozen=True)
class CategoryFacts:
    code: str
    name: str
    seats: int


@dataclass(frozen=True)
class ProgrammeFacts:
    """What the blockers look at: the set-up, the phase being left and entered, and counts from data apps."""

    categories: tuple[CategoryFacts, ...] = ()
    criteria: int = 0
    total_weight: Decimal = Decimal(0)
    criteria_without_levels: tuple[str, ...] = ()
    phases: int = 0
    vetting_departments: int = 0
    departments_without_signatories: tuple[str, ...] = ()
    # The phase being left: how many candidates per seat it needs before it can end.
    min_candidates_per_seat: Decimal | None = None
    # The phase being entered: its capability flags.
    next_capabilities: frozenset[str] = frozenset()
    counts: Mapping[str, int] = field(default_factory=dict)

    def count(self, key: str) -> int:
        return int(self.counts.get(key, 0))


@dataclass(frozen=True)
class Blocker:
    """One reason the programme cannot move on yet. ``params`` are plain values for the message."""

    code: str
    params: tuple[tuple[str, str | int], ...] = ()

    @property
    def data(self) -> dict[str, str | int]:
        return dict(self.params)


def _blocker(code: str, **params: str | int) -> Blocker:
    return Blocker(code, tuple(sorted(params.items())))


def setup_blockers(next_kind: str, facts: ProgrammeFacts) -> list[Blocker]:
    """What an incomplete set-up blocks: entering any phase but set-up itself."""
    if next_kind == Kind.SETUP:
        return []
    found: list[Blocker] = []
    if not facts.categories:
        found.append(_blocker("setup.no_categories"))
    if facts.criteria == 0 or facts.total_weight <= 0:
        found.append(_blocker("setup.no_rubric"))
    found.extend(_blocker("setup.criterion_without_levels", criterion=name) for name in facts.criteria_without_levels)
    if facts.phases == 0:
        found.append(_blocker("setup.no_phases"))
    if "can_vet" in facts.next_capabilities:
        if facts.vetting_departments == 0:
            found.append(_blocker("setup.no_vetting_departments"))
        found.extend(
            _blocker("setup.department_without_signatories", department=name)
            for name in facts.departments_without_signatories
        )
    return found


def work_blockers(current_kind: str | None, facts: ProgrammeFacts) -> list[Blocker]:
    """Work the phase being left has not finished."""
    found: list[Blocker] = []
    checks: dict[str, list[tuple[str, str]]] = {
        Kind.NOMINATION: [(COUNT_DRAFTS, "nominations.open_drafts"), (COUNT_WAITING, "nominations.waiting_at_units")],
        Kind.SCREENING: [(COUNT_NOT_SCREENED, "nominations.not_screened")],
        Kind.VETTING: [(COUNT_NOT_VETTED, "nominations.not_vetted")],
    }
    for key, code in checks.get(current_kind or "", []):
        n = facts.count(key)
        if n > 0:
            found.append(_blocker(code, count=n))
    return found


def candidates_needed(seats: int, per_seat: Decimal) -> int:
    """The smallest whole number of candidates that is at least ``per_seat`` per seat."""
    return math.ceil(Decimal(seats) * per_seat)


def ratio_blockers(facts: ProgrammeFacts) -> list[Blocker]:
    """Categories with fewer candidates per seat than the phase being left requires."""
    per_seat = facts.min_candidates_per_seat
    if per_seat is None or per_seat <= 0:
        return []
    found = []
    for category in facts.categories:
        have = facts.count(CANDIDATES_PREFIX + category.code)
        needed = candidates_needed(category.seats, per_seat)
        if have < needed:
            found.append(
                _blocker(
                    "candidates.too_few",
                    category=category.name,
                    candidates=have,
                    seats=category.seats,
                    needed=needed,
                )
            )
    return found


def blockers_for(current_kind: str | None, next_kind: str, facts: ProgrammeFacts) -> list[Blocker]:
    """Everything that stops the programme moving from ``current_kind`` to ``next_kind``, in a stable order.

    An empty list means the move may go ahead. Does not judge whether the
    move itself is legal: that is ``transition_refusal``.
    """
    return [*setup_blockers(next_kind, facts), *work_blockers(current_kind, facts), *ratio_blockers(facts)]
