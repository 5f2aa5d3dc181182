"""The pure phase rules: order, legal moves and blockers."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exemplar.programmes.domain.capabilities import Capability
from exemplar.programmes.domain.lifecycle import (
    CANDIDATES_PREFIX,
    COUNT_DRAFTS,
    COUNT_NOT_SCREENED,
    COUNT_NOT_VETTED,
    COUNT_WAITING,
    DEFAULT_CAPABILITIES,
    PHASE_ORDER,
    REQUIRED_PHASES,
    REVERSIBLE_PHASES,
    Blocker,
    CategoryFacts,
    Direction,
    ProgrammeFacts,
    blockers_for,
    candidates_needed,
    is_in_order,
    missing_required,
    next_kind,
    previous_kind,
    transition_refusal,
)
from exemplar.programmes.enums import PhaseKind
from tests.factories.programmes import PHASE_FLAGS

pytestmark = pytest.mark.unit

READY = ProgrammeFacts(
    categories=(CategoryFacts("individual", "Role model", 2), CategoryFacts("team", "Team", 8)),
    criteria=4,
    total_weight=Decimal(100),
    phases=10,
    vetting_departments=3,
)

# Ordered subsets of the phases that keep the required ones: the shapes a programme can take.
programme_shapes = st.sets(st.sampled_from([k for k in PHASE_ORDER if k not in REQUIRED_PHASES])).map(
    lambda optional: [k for k in PHASE_ORDER if k in REQUIRED_PHASES or k in optional]
)


def codes(blockers: list[Blocker]) -> list[str]:
    return [b.code for b in blockers]


def test_the_pure_order_mirrors_the_phase_kinds_and_their_default_flags():
    assert list(PHASE_ORDER) == list(PhaseKind.values)
    assert set(DEFAULT_CAPABILITIES) == set(PhaseKind.values)
    assert {k: set(v) for k, v in DEFAULT_CAPABILITIES.items()} == {k: set(flags) for k, flags in PHASE_FLAGS.items()}
    assert set().union(*DEFAULT_CAPABILITIES.values()) <= {c.value for c in Capability}


@given(programme_shapes)
def test_walking_next_visits_every_phase_once_in_order(kinds):
    seen, current = [], None
    while (current := next_kind(kinds, current)) is not None:
        seen.append(current)
    assert seen == kinds
    assert is_in_order(kinds)
    assert missing_required(kinds) == []


@given(programme_shapes, st.data())
def test_forward_moves_only_to_the_immediate_next_phase(kinds, data):
    current = data.draw(st.sampled_from(kinds))
    target = data.draw(st.sampled_from(PHASE_ORDER))
    refusal = transition_refusal(kinds, current, target, Direction.FORWARD)
    expected = kinds.index(current) + 1 < len(kinds) and kinds[kinds.index(current) + 1] == target
    assert (refusal is None) == expected
    if target not in kinds:
        assert refusal == "unknown_phase"


@given(programme_shapes, st.data())
def test_back_moves_one_step_and_only_out_of_reversible_phases(kinds, data):
    current = data.draw(st.sampled_from(kinds))
    target = data.draw(st.sampled_from(kinds))
    refusal = transition_refusal(kinds, current, target, Direction.BACK)
    one_back = previous_kind(kinds, current) == target
    assert (refusal is None) == (one_back and current in REVERSIBLE_PHASES)
    if one_back and current not in REVERSIBLE_PHASES:
        assert refusal == "irreversible"


def test_out_of_order_or_unknown_phases_are_not_in_order():
    assert is_in_order(["setup", "nomination", "screening"])
    assert not is_in_order(["nomination", "setup"])
    assert not is_in_order(["setup", "setup"])
    assert not is_in_order(["setup", "lottery"])
    assert missing_required(["setup", "nomination"]) == ["screening", "decision", "closed"]


def test_a_programme_with_no_current_phase_starts_at_its_first():
    assert next_kind(["setup", "nomination"], None) == "setup"
    assert next_kind([], None) is None
    assert previous_kind(["setup", "nomination"], "setup") is None


def test_a_complete_set_up_with_finished_work_has_no_blockers():
    for current, following in pairwise(PHASE_ORDER):
        assert blockers_for(current, following, READY) == [], (current, following)


def test_an_incomplete_set_up_blocks_entering_any_phase_but_set_up():
    empty = ProgrammeFacts(phases=0)
    assert codes(blockers_for("setup", "nomination", empty)) == [
        "setup.no_categories",
        "setup.no_rubric",
        "setup.no_phases",
    ]
    assert blockers_for(None, "setup", empty) == []


def test_criteria_without_levels_are_named():
    facts = ProgrammeFacts(**{**READY.__dict__, "criteria_without_levels": ("Quality",)})
    assert blockers_for("setup", "nomination", facts) == [
        Blocker("setup.criterion_without_levels", (("criterion", "Quality"),))
    ]


def test_entering_a_vetting_phase_needs_departments_with_signatories():
    none = ProgrammeFacts(**{**READY.__dict__, "vetting_departments": 0, "next_capabilities": frozenset({"can_vet"})})
    unsigned = ProgrammeFacts(
        **{**READY.__dict__, "departments_without_signatories": ("HR",), "next_capabilities": frozenset({"can_vet"})}
    )
    assert codes(blockers_for("screening", "vetting", none)) == ["setup.no_vetting_departments"]
    assert blockers_for("screening", "vetting", unsigned) == [
        Blocker("setup.department_without_signatories", (("department", "HR"),))
    ]
    # A phase that does not vet does not care.
    assert blockers_for("setup", "nomination", ProgrammeFacts(**{**READY.__dict__, "vetting_departments": 0})) == []


@pytest.mark.parametrize(
    ("leaving", "count_key", "code"),
    [
        ("nomination", COUNT_DRAFTS, "nominations.open_drafts"),
        ("nomination", COUNT_WAITING, "nominations.waiting_at_units"),
        ("screening", COUNT_NOT_SCREENED, "nominations.not_screened"),
        ("vetting", COUNT_NOT_VETTED, "nominations.not_vetted"),
    ],
)
def test_unfinished_work_blocks_leaving_its_phase_only(leaving, count_key, code):
    facts = ProgrammeFacts(**{**READY.__dict__, "counts": {count_key: 3}})
    following = PHASE_ORDER[PHASE_ORDER.index(leaving) + 1]
    assert blockers_for(leaving, following, facts) == [Blocker(code, (("count", 3),))]
    other = [k for k in PHASE_ORDER[:-1] if k != leaving]
    for kind in other:
        assert blockers_for(kind, PHASE_ORDER[PHASE_ORDER.index(kind) + 1], facts) == []


@given(
    seats=st.integers(min_value=1, max_value=50),
    per_seat=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10"), places=2),
)
def test_candidates_needed_is_the_smallest_whole_number_meeting_the_ratio(seats, per_seat):
    needed = candidates_needed(seats, per_seat)
    assert Decimal(needed) >= seats * per_seat
    assert Decimal(needed - 1) < seats * per_seat


@given(
    seats=st.integers(min_value=1, max_value=30),
    per_seat=st.decimals(min_value=Decimal("0.5"), max_value=Decimal("5"), places=1),
    shortfall=st.integers(min_value=0, max_value=3),
)
def test_too_few_candidates_per_seat_block_leaving_the_phase(seats, per_seat, shortfall):
    needed = candidates_needed(seats, per_seat)
    have = max(0, needed - shortfall)
    facts = ProgrammeFacts(
        categories=(CategoryFacts("individual", "Role model", seats),),
        criteria=1,
        total_weight=Decimal(1),
        phases=10,
        min_candidates_per_seat=per_seat,
        counts={CANDIDATES_PREFIX + "individual": have},
    )
    found = blockers_for("nomination", "screening", facts)
    if have >= needed:
        assert found == []
    else:
        assert found == [
            Blocker(
                "candidates.too_few",
                (("candidates", have), ("category", "Role model"), ("needed", needed), ("seats", seats)),
            )
        ]


def test_blockers_come_in_a_stable_order_set_up_then_work_then_ratio():
    facts = ProgrammeFacts(
        categories=(CategoryFacts("team", "Team", 2),),
        criteria=0,
        phases=10,
        min_candidates_per_seat=Decimal(1),
        counts={COUNT_DRAFTS: 1, COUNT_WAITING: 2},
    )
    assert codes(blockers_for("nomination", "screening", facts)) == [
        "setup.no_rubric",
        "nominations.open_drafts",
        "nominations.waiting_at_units",
        "candidates.too_few",
    ]


@pytest.mark.parametrize("module", ["lifecycle", "timeline"])
def test_the_pure_modules_import_no_django(module):
    import ast
    from pathlib import Path

    from exemplar.programmes import domain

    source = Path(domain.__file__).with_name(f"{module}.py").read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported <= {"__future__", "collections", "dataclasses", "datetime", "decimal", "enum", "itertools", "math"}
