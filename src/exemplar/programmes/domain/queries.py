"""Selectors for programmes: the list, the dashboard's timeline, the rubric, the next move."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum

from exemplar.core import clock
from exemplar.people.enums import Role
from exemplar.people.models import User
from exemplar.programmes.domain.facts import programme_facts
from exemplar.programmes.domain.lifecycle import (
    PHASE_ORDER,
    REVERSIBLE_PHASES,
    Blocker,
    blockers_for,
    position,
)
from exemplar.programmes.domain.timeline import PhaseRow, TimelineEntry, WindowProblem, build_timeline, window_problems
from exemplar.programmes.enums import PhaseKind
from exemplar.programmes.models import Criterion, CriterionLevel, Phase, Programme, VettingDepartment


def programmes_for_list() -> QuerySet[Programme]:
    """Every programme, newest year first, with its current phase, number of categories and seats."""
    return (
        Programme.objects.select_related("current_phase", "copied_from")
        .annotate(n_categories=Count("categories"), n_seats=Sum("categories__seats"))
        .order_by("-year", "name", "pk")
    )


def phases_of(programme: Programme) -> list[Phase]:
    return list(Phase.objects.filter(programme=programme).order_by("order"))


def phase_rows(phases: list[Phase]) -> list[PhaseRow]:
    return [
        PhaseRow(
            kind=p.kind,
            label=str(PhaseKind(p.kind).label),
            order=p.order,
            starts_at=p.starts_at,
            ends_at=p.ends_at,
            entered_at=p.entered_at,
        )
        for p in phases
    ]


def programme_timeline(
    programme: Programme, *, phases: list[Phase] | None = None, now: datetime | None = None
) -> tuple[TimelineEntry, ...]:
    """The programme's phases in order, each past, current or upcoming, with its window."""
    phases = phases_of(programme) if phases is None else phases
    current = programme.current_phase
    return build_timeline(phase_rows(phases), current.kind if current else None, now or clock.now())


def phase_window_problems(phases: list[Phase]) -> list[WindowProblem]:
    return window_problems(phase_rows(phases))


def addable_phase_kinds(programme: Programme, phases: list[Phase]) -> list[str]:
    """Kinds the programme has left out and could still put back (ahead of its current phase), in order."""
    present = {p.kind for p in phases}
    current = programme.current_phase
    after = position(current.kind) if current is not None else -1
    return [k for k in PHASE_ORDER if k not in present and position(k) > after]


@dataclass(frozen=True)
class RubricLine:
    criterion: Criterion
    share: Decimal  # of the total weight, in per cent
    levels: list[CriterionLevel]


def rubric_of(programme: Programme) -> list[RubricLine]:
    """The criteria with their weight as a share of the total and their levels, highest score first."""
    criteria = list(
        Criterion.objects.filter(programme=programme)
        .prefetch_related(Prefetch("levels", queryset=CriterionLevel.objects.order_by("-score")))
        .order_by("order", "pk")
    )
    total = sum((c.weight for c in criteria), Decimal(0))
    return [
        RubricLine(
            criterion=c,
            share=(c.weight * 100 / total).quantize(Decimal("0.1")) if total else Decimal(0),
            levels=list(c.levels.all()),
        )
        for c in criteria
    ]


def departments_of(programme: Programme) -> list[VettingDepartment]:
    members = Prefetch("members", queryset=User.objects.select_related("person").order_by("username"))
    return list(VettingDepartment.objects.filter(programme=programme).prefetch_related(members).order_by("order", "pk"))


def signatory_choices() -> QuerySet[User]:
    """Accounts that may sign off for a vetting department: active, holding the vetting role."""
    return (
        User.objects.filter(is_active=True, grants__role=Role.VETTING)
        .select_related("person")
        .distinct()
        .order_by("username")
    )


@dataclass(frozen=True)
class NextMove:
    """What the office sees before moving the programme on: where to, and what stands in the way."""

    current: Phase | None
    target: Phase | None
    blockers: list[Blocker]
    previous: Phase | None
    can_step_back: bool

    @property
    def is_clear(self) -> bool:
        return self.target is not None and not self.blockers


def next_move(programme: Programme) -> NextMove:
    phases = phases_of(programme)
    kinds = [p.kind for p in phases]
    current = programme.current_phase
    index = kinds.index(current.kind) if current is not None and current.kind in kinds else -1
    target = phases[index + 1] if index + 1 < len(phases) else None
    previous = phases[index - 1] if index > 0 else None
    blockers: list[Blocker] = []
    if target is not None:
        facts = programme_facts(programme, leaving=current, entering=target)
        blockers = blockers_for(current.kind if current else None, target.kind, facts)
    return NextMove(
        current=current,
        target=target,
        blockers=blockers,
        previous=previous,
        can_step_back=previous is not None and current is not None and current.kind in REVERSIBLE_PHASES,
    )
