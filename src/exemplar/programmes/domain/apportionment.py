"""Sharing nomination seats among units by headcount (pure: no Django).

Largest-remainder (Hamilton) apportionment with a floor of one seat per
eligible unit:

* A unit is *eligible* when it has at least one active person. Units with
  nobody get no seat and take no part in the sharing.
* Every eligible unit's exact share of ``total`` is ``total * headcount /
  eligible headcount``. Each unit first gets the whole part of its share;
  the seats left over go one each to the units with the largest fractional
  remainders.
* The floor: if that leaves an eligible unit with no seat, each such unit is
  given exactly one seat and set aside, and the seats still left are shared
  afresh among the others in the same way, until no remaining unit is left
  with nothing. When no unit falls below the floor the result is plain
  Hamilton, so every unit gets the whole part of its exact share or one more
  (the "quota rule").
* Ties are broken deterministically, never by input order: the larger
  remainder first, then the larger headcount, then the smaller unit key.
  Equal remainders are compared exactly (integers, no floating point).
* A unit with more people never gets fewer seats than a unit with fewer.

When ``total`` is smaller than the number of eligible units the floor cannot
hold and ``apportion`` refuses (``FloorCannotHoldError``) rather than quietly
dropping units; likewise when there are seats but nobody to give them to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Share:
    """One unit's seats. ``exact`` is its proportional share before rounding and before the floor."""

    key: str
    headcount: int
    seats: int
    exact: Fraction
    raised_to_floor: bool


@dataclass(frozen=True)
class Apportionment:
    total: int
    shares: tuple[Share, ...]  # ordered by key

    def seats(self) -> dict[str, int]:
        return {s.key: s.seats for s in self.shares}


class ApportionmentRefusedError(ValueError):
    """The seats cannot be shared under the rules; ``code`` says why, the fields give the numbers."""

    code = "refused"

    def __init__(self, *, total: int, eligible: int) -> None:
        super().__init__(f"{self.code}: total={total}, eligible units={eligible}")
        self.total = total
        self.eligible = eligible


class FloorCannotHoldError(ApportionmentRefusedError):
    """Fewer seats than eligible units: not every unit can have its one seat."""

    code = "floor_cannot_hold"


class NobodyToApportionError(ApportionmentRefusedError):
    """Seats to share but no unit with anybody in it."""

    code = "nobody_to_apportion"


def _hamilton(total: int, claims: list[tuple[str, int]]) -> dict[str, int]:
    """Plain largest remainder among ``claims`` (all headcounts > 0, at least one claim)."""
    weight = sum(h for _, h in claims)
    seats: dict[str, int] = {}
    remainders: list[tuple[int, int, str]] = []
    for key, headcount in claims:
        whole, rest = divmod(total * headcount, weight)
        seats[key] = whole
        # Sort key: larger remainder, then larger headcount, then smaller key.
        remainders.append((-rest, -headcount, key))
    left = total - sum(seats.values())
    for _, _, key in sorted(remainders)[:left]:
        seats[key] += 1
    return seats


def apportion(total: int, headcounts: Mapping[str, int] | Iterable[tuple[str, int]]) -> Apportionment:
    """Share ``total`` seats among units keyed by a unique key (the unit code), by headcount.

    Raises ``ValueError`` for a negative total or headcount or a repeated key,
    ``FloorCannotHoldError`` when ``0 < eligible units`` and ``total < eligible
    units``, ``NobodyToApportionError`` when ``total > 0`` and no unit has anybody.
    """
    pairs = list(headcounts.items()) if isinstance(headcounts, Mapping) else list(headcounts)
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("unit keys must be unique")
    if total < 0 or any(h < 0 for _, h in pairs):
        raise ValueError("total and headcounts must not be negative")
    eligible = sorted((k, h) for k, h in pairs if h > 0)
    if eligible and total < len(eligible):
        raise FloorCannotHoldError(total=total, eligible=len(eligible))
    if not eligible and total > 0:
        raise NobodyToApportionError(total=total, eligible=0)

    weight = sum(h for _, h in eligible)
    seats: dict[str, int] = {}
    floored: set[str] = set()
    active, left = eligible, total
    while active:
        round_seats = _hamilton(left, active)
        below = {k for k, s in round_seats.items() if s == 0}
        if not below:
            seats.update(round_seats)
            break
        # Each unit left with nothing gets its floor seat and leaves the sharing.
        floored |= below
        left -= len(below)
        active = [(k, h) for k, h in active if k not in below]

    shares = tuple(
        Share(
            key=key,
            headcount=h,
            seats=1 if key in floored else seats.get(key, 0),
            exact=Fraction(total * h, weight) if h > 0 else Fraction(0),
            raised_to_floor=key in floored,
        )
        for key, h in sorted(pairs)
    )
    return Apportionment(total=total, shares=shares)
