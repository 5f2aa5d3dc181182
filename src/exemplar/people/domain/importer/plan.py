"""What an import would change, worked out against a snapshot (pure: no Django).

The snapshot is the directory as plain data: for each kind, the key of each
row (unit code, staff number, team code, or team code and staff number)
mapped to its database id and its values in ``FIELDS`` order. Comparing a
file against it gives the rows to create, the rows to update (with old and
new values) and a count of rows already as the file says; importing the same
file twice therefore finds nothing to do the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from exemplar.people.domain.importer.columns import COLUMNS, KEYS, KINDS, UNITS

Key = Any  # a code or staff number, or (team code, staff number) for memberships
# The non-key columns of each kind, in the order snapshot values follow.
FIELDS: dict[str, tuple[str, ...]] = {
    kind: tuple(c.name for c in COLUMNS[kind] if c.name not in KEYS[kind]) for kind in KINDS
}


@dataclass(frozen=True)
class Existing:
    id: int
    values: tuple[Any, ...]


Snapshot = dict[str, dict[Key, Existing]]


def empty_snapshot() -> Snapshot:
    return {kind: {} for kind in KINDS}


@dataclass(frozen=True)
class Created:
    key: Key
    row: int
    values: tuple[Any, ...]  # aligned with KindPlan.fields


@dataclass(frozen=True)
class Updated:
    key: Key
    id: int
    row: int
    changes: dict[str, tuple[Any, Any]]  # field -> (old, new)


@dataclass
class KindPlan:
    kind: str
    fields: tuple[str, ...]
    created: list[Created] = field(default_factory=list)
    updated: list[Updated] = field(default_factory=list)
    unchanged: int = 0

    def counts(self) -> dict[str, int]:
        counts = {"created": len(self.created), "updated": len(self.updated), "unchanged": self.unchanged}
        if self.kind == UNITS:
            counts["moved"] = sum(1 for u in self.updated if "parent_code" in u.changes)
        return counts


@dataclass
class Plan:
    kinds: dict[str, KindPlan]

    @property
    def is_empty(self) -> bool:
        return not any(p.created or p.updated for p in self.kinds.values())

    def get(self, kind: str) -> KindPlan:
        return self.kinds.get(kind) or KindPlan(kind=kind, fields=())

    def summary(self) -> dict[str, dict[str, int]]:
        return {kind: plan.counts() for kind, plan in self.kinds.items()}


@dataclass(frozen=True)
class Record:
    row: int
    values: tuple[Any, ...]  # aligned with the table's provided non-key fields


def diff(kind: str, fields: tuple[str, ...], records: dict[Key, Record], existing: dict[Key, Existing]) -> KindPlan:
    """Compare the file's rows of one kind with what the directory holds.

    Only the columns present in the file are compared (and later written):
    a column left out of the file leaves that field as it is.
    """
    order = FIELDS[kind]
    positions = [order.index(f) for f in fields]
    plan = KindPlan(kind=kind, fields=fields)
    for key, record in records.items():
        current = existing.get(key)
        if current is None:
            plan.created.append(Created(key=key, row=record.row, values=record.values))
            continue
        old = current.values
        changes = {
            f: (old[p], new) for f, p, new in zip(fields, positions, record.values, strict=True) if old[p] != new
        }
        if changes:
            plan.updated.append(Updated(key=key, id=current.id, row=record.row, changes=changes))
        else:
            plan.unchanged += 1
    return plan
