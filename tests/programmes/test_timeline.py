"""The dashboard timeline: past, current and upcoming phases with their windows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exemplar.programmes.domain.lifecycle import PHASE_ORDER
from exemplar.programmes.domain.timeline import PhaseRow, Stage, WindowProblem, build_timeline, window_problems

pytestmark = pytest.mark.unit

NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)


def day(month: int, d: int) -> datetime:
    return datetime(2026, month, d, 9, 0, tzinfo=UTC)


ROWS = [
    PhaseRow("setup", "Set-up", 0, day(1, 5), day(2, 27)),
    PhaseRow("nomination", "Nomination", 1, day(3, 2), day(3, 31)),
    PhaseRow("screening", "Screening", 2, day(3, 30), day(4, 24)),
    PhaseRow("closed", "Closed", 9),
]


def test_phases_before_the_current_are_past_and_after_it_upcoming():
    timeline = build_timeline(list(reversed(ROWS)), "nomination", NOW)
    assert [(e.kind, e.stage) for e in timeline] == [
        ("setup", Stage.PAST),
        ("nomination", Stage.CURRENT),
        ("screening", Stage.UPCOMING),
        ("closed", Stage.UPCOMING),
    ]


def test_a_current_phase_past_its_window_is_overdue_and_an_upcoming_one_already_open_is_behind():
    timeline = build_timeline(ROWS, "nomination", NOW)
    assert [(e.kind, e.overdue, e.behind) for e in timeline] == [
        ("setup", False, False),
        ("nomination", True, False),
        ("screening", False, True),
        ("closed", False, False),
    ]


def test_without_a_current_phase_everything_is_upcoming():
    assert {e.stage for e in build_timeline(ROWS, None, NOW)} == {Stage.UPCOMING}


@given(st.data())
def test_exactly_one_phase_is_current_and_stages_never_go_backwards(data):
    kinds = data.draw(st.lists(st.sampled_from(PHASE_ORDER), min_size=1, unique=True))
    rows = [PhaseRow(k, k, PHASE_ORDER.index(k)) for k in kinds]
    current = data.draw(st.sampled_from(kinds))
    stages = [e.stage for e in build_timeline(rows, current, NOW)]
    assert stages.count(Stage.CURRENT) == 1
    rank = {Stage.PAST: 0, Stage.CURRENT: 1, Stage.UPCOMING: 2}
    assert [rank[s] for s in stages] == sorted(rank[s] for s in stages)


def test_window_problems_name_backwards_and_overlapping_windows():
    rows = [
        PhaseRow("setup", "Set-up", 0, day(1, 5), day(2, 27)),
        PhaseRow("nomination", "Nomination", 1, day(3, 2), day(3, 31)),
        PhaseRow("screening", "Screening", 2, day(3, 30), day(4, 24)),
        PhaseRow("vetting", "Vetting", 3),
        PhaseRow("review", "Review", 4, day(4, 20), day(5, 1)),
        PhaseRow("decision", "Decision", 6, day(6, 30), day(6, 1)),
    ]
    assert window_problems(rows) == [
        WindowProblem("screening", "overlaps_previous", "nomination"),
        WindowProblem("review", "overlaps_previous", "screening"),
        WindowProblem("decision", "ends_before_start"),
    ]
    assert window_problems(ROWS[:2]) == []
