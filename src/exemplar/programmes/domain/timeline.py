"""The programme's timeline for the dashboard: each phase with its window, and where the programme stands.

Pure: no Django. Phases come in as ``PhaseRow`` values (the caller passes
the translated label), entries go out as frozen ``TimelineEntry`` values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Stage(StrEnum):
    PAST = "past"
    CURRENT = "current"
    UPCOMING = "upcoming"


@dataclass(frozen=True)
class PhaseRow:
    kind: str
    label: str
    order: int
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    entered_at: datetime | None = None


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    label: str
    order: int
    starts_at: datetime | None
    ends_at: datetime | None
    entered_at: datetime | None
    stage: Stage
    # The current phase's window has closed: it is time to move on.
    overdue: bool
    # An upcoming phase whose window has already opened: the programme is behind.
    behind: bool

    @property
    def is_current(self) -> bool:
        return self.stage is Stage.CURRENT


def build_timeline(phases: Sequence[PhaseRow], current_kind: str | None, now: datetime) -> tuple[TimelineEntry, ...]:
    """The phases in order, each marked past, current or upcoming relative to ``current_kind``.

    With no current phase every phase is upcoming.
    """
    ordered = sorted(phases, key=lambda p: p.order)
    current_order = next((p.order for p in ordered if p.kind == current_kind), None)
    entries = []
    for p in ordered:
        if current_order is None or p.order > current_order:
            stage = Stage.UPCOMING
        elif p.order == current_order:
            stage = Stage.CURRENT
        else:
            stage = Stage.PAST
        entries.append(
            TimelineEntry(
                kind=p.kind,
                label=p.label,
                order=p.order,
                starts_at=p.starts_at,
                ends_at=p.ends_at,
                entered_at=p.entered_at,
                stage=stage,
                overdue=stage is Stage.CURRENT and p.ends_at is not None and p.ends_at < now,
                behind=stage is Stage.UPCOMING and p.starts_at is not None and p.starts_at <= now,
            )
        )
    return tuple(entries)


@dataclass(frozen=True)
class WindowProblem:
    """A window that does not make sense: ``ends_before_start`` or ``overlaps_previous`` (with ``other``)."""

    kind: str
    code: str
    other: str = ""


def window_problems(phases: Sequence[PhaseRow]) -> list[WindowProblem]:
    """Windows that close before they open, or open before the previous dated phase closes."""
    problems = []
    previous: PhaseRow | None = None
    for p in sorted(phases, key=lambda p: p.order):
        if p.starts_at is not None and p.ends_at is not None and p.ends_at <= p.starts_at:
            problems.append(WindowProblem(p.kind, "ends_before_start"))
        if (
            previous is not None
            and previous.ends_at is not None
            and p.starts_at is not None
            and p.starts_at < previous.ends_at
        ):
            problems.append(WindowProblem(p.kind, "overlaps_previous", previous.kind))
        if p.ends_at is not None:
            previous = p
    return problems
