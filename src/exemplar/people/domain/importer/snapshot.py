"""The directory as plain data, for the pure validator to compare a file against."""

from __future__ import annotations

from typing import Any

from exemplar.people.domain.importer.columns import PEOPLE, TEAM_MEMBERS, TEAMS, UNITS
from exemplar.people.domain.importer.plan import FIELDS, Existing, Snapshot, empty_snapshot
from exemplar.people.models import OrgUnit, Person, Team, TeamMembership

# File columns that name another row stand for these foreign keys.
MODEL_FIELDS = {"parent_code": "parent_id", "unit_code": "unit_id", "lead_staff_number": "lead_id"}
CHUNK = 5000


def model_field(column: str) -> str:
    return MODEL_FIELDS.get(column, column)


def take_snapshot() -> Snapshot:
    """Every unit, person, team and membership: four queries, people read in chunks."""
    snapshot = empty_snapshot()
    unit_codes = dict(OrgUnit.objects.values_list("id", "code"))
    unit_codes_or_blank: dict[Any, str] = {**unit_codes, None: ""}
    snapshot[UNITS] = _load(OrgUnit, "code", FIELDS[UNITS], {"parent_id": unit_codes_or_blank})
    snapshot[PEOPLE] = _load(Person, "staff_number", FIELDS[PEOPLE], {"unit_id": unit_codes})
    staff_numbers: dict[Any, str] = {e.id: sn for sn, e in snapshot[PEOPLE].items()}
    staff_numbers[None] = ""
    snapshot[TEAMS] = _load(Team, "code", FIELDS[TEAMS], {"unit_id": unit_codes, "lead_id": staff_numbers})
    members = TeamMembership.objects.values_list("id", "team__code", "person__staff_number", "role")
    snapshot[TEAM_MEMBERS] = {
        (team, person): Existing(pk, (role,)) for pk, team, person, role in members.iterator(CHUNK)
    }
    return snapshot


def _load(model: Any, key: str, fields: tuple[str, ...], lookups: dict[str, dict[Any, str]]) -> dict[Any, Existing]:
    names = [model_field(f) for f in fields]
    translate = [(i, lookups[name]) for i, name in enumerate(names) if name in lookups]
    rows: dict[Any, Existing] = {}
    for pk, code, *values in model.objects.values_list("id", key, *names).iterator(CHUNK):
        for i, table in translate:
            values[i] = table[values[i]]
        rows[code] = Existing(pk, tuple(values))
    return rows
