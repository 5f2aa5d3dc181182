"""Writing a validated plan: units, people, teams and memberships, inside the caller's transaction.

New rows go in with one ``executemany`` per table and changed rows with one
per set of changed fields (``core.domain.bulk``: the ORM's bulk methods are
far too slow for 150,000 rows); unit paths are recomputed once for the whole
tree. Every created or changed object gets its audit entry through
``log_many``, a chunk at a time, so memory stays flat however large the file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db.models import Model

from exemplar.core.domain.audit import PendingEntry, log_many
from exemplar.core.domain.bulk import insert_rows, update_rows
from exemplar.people.domain import tree
from exemplar.people.domain.importer.columns import PEOPLE, TEAM_MEMBERS, TEAMS, UNITS
from exemplar.people.domain.importer.plan import FIELDS, Created, Key, KindPlan, Plan, Snapshot, Updated
from exemplar.people.domain.importer.snapshot import model_field
from exemplar.people.models import OrgUnit, Person, Team, TeamMembership, User

AUDIT_CHUNK = 5000
# Where a file column names another row, the id map that resolves it.
REFERENCES = {"parent_code": UNITS, "unit_code": UNITS, "lead_staff_number": PEOPLE}
KEY_FIELDS = {UNITS: "code", PEOPLE: "staff_number", TEAMS: "code"}


class AuditWriter:
    """Collects entries and appends them to the chain a chunk at a time."""

    def __init__(self, actor: User | None) -> None:
        self.actor = actor
        self.pending: list[PendingEntry] = []
        self.written = 0

    def add(self, action: str, obj: Model, data: dict[str, Any]) -> None:
        self.pending.append(PendingEntry(f"exemplar.people.{action}", obj, data))
        if len(self.pending) >= AUDIT_CHUNK:
            self.flush()

    def flush(self) -> None:
        self.written += log_many(self.actor, self.pending)
        self.pending = []


class Ids:
    """Database ids by key: the snapshot's, then the newly created."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.by_kind: dict[str, dict[Key, int]] = {
            kind: {key: e.id for key, e in snapshot[kind].items()} for kind in (UNITS, PEOPLE, TEAMS)
        }

    def reload(self, kind: str, model: type[Model]) -> None:
        self.by_kind[kind] = dict(model._default_manager.values_list(KEY_FIELDS[kind], "id"))

    def resolver(self, fields: tuple[str, ...]) -> list[tuple[int, dict[Key, int]]]:
        """For each column naming another row, its position and the id map to look it up in."""
        return [(i, self.by_kind[REFERENCES[f]]) for i, f in enumerate(fields) if f in REFERENCES]


def apply_plan(plan: Plan, snapshot: Snapshot, *, audit: AuditWriter) -> None:
    """Write ``plan`` (validated against ``snapshot``). Call inside one transaction."""
    ids = Ids(snapshot)
    _apply_units(plan.get(UNITS), snapshot, ids, audit)
    _apply_kind(plan.get(PEOPLE), snapshot, ids, audit, model=Person, noun="person")
    _apply_kind(plan.get(TEAMS), snapshot, ids, audit, model=Team, noun="team")
    _apply_members(plan.get(TEAM_MEMBERS), ids, audit)
    audit.flush()


def _resolved(values: tuple[Any, ...], resolver: list[tuple[int, dict[Key, int]]]) -> list[Any]:
    row = list(values)
    for i, id_map in resolver:
        row[i] = id_map[row[i]] if row[i] else None
    return row


def _insert_created(model: type[Model], kp: KindPlan, ids: Ids) -> None:
    """INSERT the new rows; columns the file leaves out take the model's defaults."""
    given = [KEY_FIELDS[kp.kind], *(model_field(f) for f in kp.fields)]
    fixed = {
        f.attname: f.get_default()
        for f in model._meta.concrete_fields
        if not f.primary_key and f.attname not in given and f.name not in given
    }
    resolver = [(i + 1, id_map) for i, id_map in ids.resolver(kp.fields)]
    defaults = list(fixed.values())
    rows = (_resolved((c.key, *c.values), resolver) + defaults for c in kp.created)
    insert_rows(model, [*given, *fixed], rows)
    ids.reload(kp.kind, model)


def _update_changed(model: type[Model], updated: list[Updated], ids: Ids) -> None:
    """UPDATE the changed rows, one statement per set of changed fields."""
    groups: dict[tuple[str, ...], list[Updated]] = defaultdict(list)
    for change in updated:
        groups[tuple(change.changes)].append(change)
    for fields, changes in groups.items():
        resolver = ids.resolver(fields)
        rows = ([*_resolved(tuple(new for _old, new in c.changes.values()), resolver), c.id] for c in changes)
        update_rows(model, [model_field(f) for f in fields], rows)


class AuditObjects:
    """Model instances holding just what an audit entry reads (id, key and names), built without a query.

    Positional construction: a third of the cost of keyword arguments, which
    counts at 150,000 people.
    """

    def __init__(self, model: type[Model], key_name: str) -> None:
        names = [f.attname for f in model._meta.concrete_fields]
        self.model = model
        self.blank: list[Any] = [None] * len(names)
        self.at = [names.index(n) for n in ("id", key_name, "name", "name_en")]

    def make(self, pk: int, key: Key, values: dict[str, Any]) -> Any:
        args = list(self.blank)
        for position, value in zip(self.at, (pk, key, values.get("name", ""), values.get("name_en", "")), strict=True):
            args[position] = value
        return self.model(*args)


def _created_data(key_name: str, created: Created, fields: tuple[str, ...]) -> dict[str, Any]:
    return {key_name: created.key, **{f: v for f, v in zip(fields, created.values, strict=True) if v not in ("", None)}}


def _changes_data(change: Updated, skip: str = "") -> dict[str, Any]:
    return {f: [old, new] for f, (old, new) in change.changes.items() if f != skip}


def _after_change(kind: str, change: Updated, snapshot: Snapshot) -> dict[str, Any]:
    values = dict(zip(FIELDS[kind], snapshot[kind][change.key].values, strict=True))
    values.update({f: new for f, (_old, new) in change.changes.items()})
    return values


def _apply_kind(
    kp: KindPlan, snapshot: Snapshot, ids: Ids, audit: AuditWriter, *, model: type[Model], noun: str
) -> None:
    """People or teams: create the new, update the changed, log each."""
    key_name = KEY_FIELDS[kp.kind]
    objects = AuditObjects(model, key_name)
    if kp.created:
        _insert_created(model, kp, ids)
        id_map = ids.by_kind[kp.kind]
        for created in kp.created:
            values = dict(zip(kp.fields, created.values, strict=True))
            obj = objects.make(id_map[created.key], created.key, values)
            audit.add(f"{noun}_created", obj, _created_data(key_name, created, kp.fields))
    _update_changed(model, kp.updated, ids)
    for change in kp.updated:
        obj = objects.make(change.id, change.key, _after_change(kp.kind, change, snapshot))
        audit.add(f"{noun}_updated", obj, {key_name: change.key, "changes": _changes_data(change)})


def _apply_units(kp: KindPlan, snapshot: Snapshot, ids: Ids, audit: AuditWriter) -> None:
    """Create new units (parents set once all exist), update the changed, then recompute every path."""
    if not (kp.created or kp.updated):
        return
    parent_at = kp.fields.index("parent_code")
    new_parents = {c.key: c.values[parent_at] for c in kp.created}
    # Inserted without parents and with a placeholder path (unique, like the code) until every id is known.
    plain = KindPlan(kind=UNITS, fields=(*(f for f in kp.fields if f != "parent_code"), "path"))
    plain.created = [
        Created(c.key, c.row, (*(v for i, v in enumerate(c.values) if i != parent_at), f"new:{c.key}"))
        for c in kp.created
    ]
    if plain.created:
        _insert_created(OrgUnit, plain, ids)
    unit_ids = ids.by_kind[UNITS]
    update_rows(
        OrgUnit,
        ["parent_id"],
        ([unit_ids[parent] if parent else None, unit_ids[code]] for code, parent in new_parents.items()),
    )
    _update_changed(OrgUnit, kp.updated, ids)
    fix_paths()
    objects = AuditObjects(OrgUnit, "code")
    for created in kp.created:
        values = dict(zip(kp.fields, created.values, strict=True))
        obj = objects.make(unit_ids[created.key], created.key, values)
        audit.add("unit_created", obj, _created_data("code", created, kp.fields))
    for change in kp.updated:
        obj = objects.make(change.id, change.key, _after_change(UNITS, change, snapshot))
        renamed = _changes_data(change, skip="parent_code")
        if renamed:
            audit.add("unit_updated", obj, {"code": change.key, "changes": renamed})
        if "parent_code" in change.changes:
            old, new = change.changes["parent_code"]
            audit.add("unit_moved", obj, {"code": change.key, "from": old, "to": new})


def fix_paths() -> int:
    """Set every unit's path and depth from its parent links; returns how many changed.

    One read of the tree (thousands of rows) and one UPDATE per changed unit
    in a single ``executemany``: a moved unit's subtree follows it, whatever
    the order of moves. Each path ends in the unit's own id, so no two units
    ever claim the same path, even halfway through.
    """
    rows = list(OrgUnit.objects.values_list("id", "parent_id", "path", "depth"))
    parents = {pk: parent for pk, parent, _path, _depth in rows}
    paths: dict[int, str] = {}

    def path_of(pk: int) -> str:
        trail = []
        node = pk
        while node not in paths:
            parent = parents[node]
            if parent is None:
                paths[node] = tree.segment(node)
                break
            trail.append(node)
            node = parent
        for child in reversed(trail):
            paths[child] = tree.child_path(paths[parents[child]], child)
        return paths[pk]

    changed = []
    for pk, _parent, path, depth in rows:
        new_path = path_of(pk)
        if new_path != path or tree.depth_of(new_path) != depth:
            changed.append((new_path, tree.depth_of(new_path), pk))
    return update_rows(OrgUnit, ["path", "depth"], changed)


def _apply_members(kp: KindPlan, ids: Ids, audit: AuditWriter) -> None:
    if not (kp.created or kp.updated):
        return
    role_at = kp.fields.index("role") if "role" in kp.fields else None
    team_ids, person_ids = ids.by_kind[TEAMS], ids.by_kind[PEOPLE]
    touched = [c.key[0] for c in kp.created] + [u.key[0] for u in kp.updated]
    teams = Team.objects.in_bulk({team_ids[code] for code in touched})
    roles = [c.values[role_at] if role_at is not None else "" for c in kp.created]
    rows: Iterator[list[Any]] = (
        [team_ids[c.key[0]], person_ids[c.key[1]], role] for c, role in zip(kp.created, roles, strict=True)
    )
    insert_rows(TeamMembership, ["team_id", "person_id", "role"], rows)
    for c, role in zip(kp.created, roles, strict=True):
        audit.add("team_member_added", teams[team_ids[c.key[0]]], {"staff_number": c.key[1], "role": role})
    update_rows(TeamMembership, ["role"], ([u.changes["role"][1], u.id] for u in kp.updated))
    for u in kp.updated:
        audit.add(
            "team_member_updated", teams[team_ids[u.key[0]]], {"staff_number": u.key[1], "changes": _changes_data(u)}
        )
