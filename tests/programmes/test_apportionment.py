"""Largest-remainder apportionment with a floor of one: examples and properties."""

from __future__ import annotations

import math
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exemplar.programmes.domain.apportionment import (
    Apportionment,
    FloorCannotHoldError,
    NobodyToApportionError,
    Share,
    apportion,
)

pytestmark = pytest.mark.unit

SRC = Path(__file__).resolve().parents[2] / "src"


# --- examples -------------------------------------------------------------------


def test_textbook_hamilton():
    # Exact shares 4.2, 3.5, 2.3: whole parts 4+3+2, the last seat to B's .5.
    assert apportion(10, {"A": 42, "B": 35, "C": 23}).seats() == {"A": 4, "B": 4, "C": 2}


def test_the_result_carries_exact_shares_and_is_ordered_by_key():
    result = apportion(3, [("B", 1), ("A", 2)])
    assert result == Apportionment(
        total=3,
        shares=(
            Share(key="A", headcount=2, seats=2, exact=Fraction(2), raised_to_floor=False),
            Share(key="B", headcount=1, seats=1, exact=Fraction(1), raised_to_floor=False),
        ),
    )


def test_small_units_are_raised_to_one_and_the_rest_is_shared_again():
    # Plain Hamilton would give 7/3/0/0; C and E get their floor seat and
    # the 8 seats left are shared between A and B (5.33 and 2.67 -> 5 and 3).
    result = apportion(10, {"A": 100, "B": 50, "C": 3, "D": 0, "E": 1})
    assert result.seats() == {"A": 5, "B": 3, "C": 1, "D": 0, "E": 1}
    assert [s.key for s in result.shares if s.raised_to_floor] == ["C", "E"]


def test_floor_cascades_over_several_rounds():
    # Round 1 (10 seats over 1000): only A and B get seats; C..F are floored;
    # round 2 shares 6 among A and B.
    result = apportion(10, {"A": 600, "B": 380, "C": 8, "D": 6, "E": 4, "F": 2})
    assert result.seats() == {"A": 4, "B": 2, "C": 1, "D": 1, "E": 1, "F": 1}
    assert sum(result.seats().values()) == 10


def test_equal_remainders_go_to_the_larger_unit_then_the_smaller_key():
    # 5 seats over 3 and 7 people: 1.5 and 3.5, equal remainders -> B, the larger.
    assert apportion(5, {"A": 3, "B": 7}).seats() == {"A": 1, "B": 4}
    # Equal headcounts too: the smaller key wins, whatever the input order.
    assert apportion(4, [("C", 2), ("B", 2), ("A", 2)]).seats() == {"A": 2, "B": 1, "C": 1}


def test_exactly_one_seat_each_when_total_equals_the_eligible_units():
    assert apportion(3, {"A": 1000, "B": 1, "C": 1, "Z": 0}).seats() == {"A": 1, "B": 1, "C": 1, "Z": 0}


def test_refuses_when_the_floor_cannot_hold():
    with pytest.raises(FloorCannotHoldError) as caught:
        apportion(2, {"A": 5, "B": 5, "C": 5, "D": 0})
    assert (caught.value.code, caught.value.total, caught.value.eligible) == ("floor_cannot_hold", 2, 3)


def test_refuses_seats_when_nobody_can_take_them():
    with pytest.raises(NobodyToApportionError) as caught:
        apportion(4, {"A": 0, "B": 0})
    assert (caught.value.code, caught.value.total, caught.value.eligible) == ("nobody_to_apportion", 4, 0)
    assert apportion(0, {"A": 0}).seats() == {"A": 0}
    assert apportion(0, {}).seats() == {}


@pytest.mark.parametrize(
    ("total", "headcounts", "message"),
    [
        (-1, {"A": 1}, "must not be negative"),
        (3, {"A": -1, "B": 4}, "must not be negative"),
        (2, [("A", 1), ("A", 2)], "must be unique"),
    ],
    ids=["negative total", "negative headcount", "repeated key"],
)
def test_bad_input_is_refused(total, headcounts, message):
    with pytest.raises(ValueError, match=message):
        apportion(total, headcounts)


def test_the_module_imports_no_django():
    code = (
        "import sys; import exemplar.programmes.domain.apportionment; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONPATH": str(SRC)}
    )
    assert out.stdout.strip() == "[]"


# --- properties ------------------------------------------------------------------

unit_keys = st.text(alphabet="ABCDEFGHJK0123456789", min_size=1, max_size=4)
headcounts = st.dictionaries(unit_keys, st.integers(min_value=0, max_value=5_000), max_size=14)


@st.composite
def feasible_cases(draw: st.DrawFn) -> tuple[int, dict[str, int]]:
    counts = draw(headcounts)
    eligible = sum(1 for h in counts.values() if h > 0)
    if eligible == 0:
        return 0, counts
    total = draw(st.integers(min_value=eligible, max_value=eligible + 60))
    return total, counts


@given(feasible_cases())
@settings(max_examples=400)
def test_seats_add_up_and_the_floor_holds(case):
    total, counts = case
    seats = apportion(total, counts).seats()
    assert sum(seats.values()) == total
    assert set(seats) == set(counts)
    for key, h in counts.items():
        if h == 0:
            assert seats[key] == 0
        else:
            assert seats[key] >= 1


@given(feasible_cases())
@settings(max_examples=400)
def test_more_people_never_fewer_seats(case):
    total, counts = case
    seats = apportion(total, counts).seats()
    for a, ha in counts.items():
        for b, hb in counts.items():
            if ha > hb:
                assert seats[a] >= seats[b], (a, ha, seats[a], b, hb, seats[b])


@given(feasible_cases())
@settings(max_examples=400)
def test_quota_rule_when_no_floor_binds(case):
    total, counts = case
    result = apportion(total, counts)
    if any(s.raised_to_floor for s in result.shares):
        return
    for share in result.shares:
        assert math.floor(share.exact) <= share.seats <= math.ceil(share.exact), share


@given(feasible_cases())
@settings(max_examples=300)
def test_shares_of_one_or_more_never_need_the_floor(case):
    total, counts = case
    result = apportion(total, counts)
    if all(s.exact >= 1 for s in result.shares if s.headcount > 0):
        assert [s for s in result.shares if s.raised_to_floor] == []


@given(feasible_cases(), st.randoms(use_true_random=False))
@settings(max_examples=300)
def test_deterministic_and_independent_of_input_order(case, rnd):
    total, counts = case
    pairs = list(counts.items())
    first = apportion(total, pairs)
    rnd.shuffle(pairs)
    assert apportion(total, pairs) == first
    assert apportion(total, dict(pairs)) == first


@given(headcounts, st.integers(min_value=0, max_value=40))
@settings(max_examples=300)
def test_infeasible_totals_are_refused_never_truncated(counts, total):
    eligible = sum(1 for h in counts.values() if h > 0)
    if eligible and total < eligible:
        with pytest.raises(FloorCannotHoldError):
            apportion(total, counts)
    elif not eligible and total > 0:
        with pytest.raises(NobodyToApportionError):
            apportion(total, counts)
    else:
        assert sum(apportion(total, counts).seats().values()) == total
