"""Writing a validated plan: units, people, teams and memberships, inside the caller's transaction.

Bulk statements throughout: new rows in ``bulk_create`` batches, changed
rows in ``bulk_update`` batches grouped by the fields that changed, unit
paths recomputed once for the whole tree. Every created or changed object
gets its audit entry through ``log_many`` in chunks, so memory stays flat
however large the file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from django.db.models import Model

from exemplar.core.domain.audit import PendingEntry, log_many
from exemplar.people.domain import tree
from exemplar.people.domain.importer.columns import PEOPLE, TEAM_MEMBERS, TEAMS, UNITS
from exemplar.people.domain.importer.plan import FIELDS, KindPlan, Plan, Snapshot, Updated
from exemplar.people.domain.importer.snapshot import model_field
from exemplar.people.models import OrgUnit, Person, Team, TeamMembership, User

BATCH = 2000
AUDIT_CHUNK = 5000
T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
    """Database ids by code or staff number: the snapshot's, then the newly created."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.units = {code: e.id for code, e in snapshot[UNITS].items()}
        self.people = {sn: e.id for sn, e in snapshot[PEOPLE].items()}
        self.teams = {code: e.id for code, e in snapshot[TEAMS].items()}

    def resolve(self, column: str, value: Any) -> Any:
        if column in {"parent_code", "unit_code"}:
            return self.units[value] if value else None
        if column == "lead_staff_number":
            return self.people[value] if value else None
        return value


def apply_plan(plan: Plan, snapshot: Snapshot, *, actor: User | None, audit: AuditWriter) -> None:
    """Write ``plan`` (validated against ``snapshot``). Call inside one transaction."""
    ids = Ids(snapshot)
    _apply_units(plan.get(UNITS), snapshot, ids, audit)
    _apply_kind(plan.get(PEOPLE), snapshot, ids, audit, model=Person, key_name="staff_number", noun="person")
    _apply_kind(plan.get(TEAMS), snapshot, ids, audit, model=Team, key_name="code", noun="team")
    _apply_members(plan.get(TEAM_MEMBERS), snapshot, ids, audit)
    audit.flush()


def _model_values(fields: Sequence[str], values: Sequence[Any], ids: Ids) -> dict[str, Any]:
    return {model_field(f): ids.resolve(f, v) for f, v in zip(fields, values, strict=True)}


def _created_data(key_name: str, key: Any, fields: Sequence[str], values: Sequence[Any]) -> dict[str, Any]:
    return {key_name: key, **{f: v for f, v in zip(fields, values, strict=True) if v not in ("", None)}}


def _changes_data(change: Updated, skip: str = "") -> dict[str, Any]:
    return {f: [old, new] for f, (old, new) in change.changes.items() if f != skip}


def _current_object(
    model: type[Model], change: Updated, *, key_name: str, kind: str, snapshot: Snapshot, ids: Ids
) -> Any:
    """The object as it will be: old values with the changes laid over (no query)."""
    values = dict(zip(FIELDS[kind], snapshot[kind][change.key].values, strict=True))
    values.update({f: new for f, (_old, new) in change.changes.items()})
    return model(pk=change.id, **{key_name: change.key}, **_model_values(list(values), list(values.values()), ids))


def _bulk_update_changes(model: type[Model], objects: list[tuple[Any, Updated]]) -> None:
    """One ``bulk_update`` per set of changed fields, so unchanged columns are not rewritten."""
    groups: dict[tuple[str, ...], list[Any]] = defaultdict(list)
    for obj, change in objects:
        groups[tuple(sorted(model_field(f) for f in change.changes))].append(obj)
    for fields, objs in groups.items():
        model._default_manager.bulk_update(objs, list(fields), batch_size=BATCH // 4)


def _apply_kind(
    kp: KindPlan, snapshot: Snapshot, ids: Ids, audit: AuditWriter, *, model: type[Model], key_name: str, noun: str
) -> None:
    """People or teams: create the new, update the changed, log each."""
    kind = kp.kind
    id_map = ids.people if kind == PEOPLE else ids.teams
    for batch in chunks(kp.created, BATCH):
        objs = [model(**{key_name: c.key}, **_model_values(kp.fields, c.values, ids)) for c in batch]
        model._default_manager.bulk_create(objs)
        for obj, created in zip(objs, batch, strict=True):
            id_map[created.key] = obj.pk
            audit.add(f"{noun}_created", obj, _created_data(key_name, created.key, kp.fields, created.values))
    updated = [
        (_current_object(model, u, key_name=key_name, kind=kind, snapshot=snapshot, ids=ids), u) for u in kp.updated
    ]
    _bulk_update_changes(model, updated)
    for obj, change in updated:
        audit.add(f"{noun}_updated", obj, {key_name: change.key, "changes": _changes_data(change)})


def _apply_units(kp: KindPlan, snapshot: Snapshot, ids: Ids, audit: AuditWriter) -> None:
    """Create new units, set parents, then recompute the paths of the whole tree."""
    if not (kp.created or kp.updated):
        return
    fields = [f for f in kp.fields if f != "parent_code"]
    created_objs = []
    for batch in chunks(kp.created, BATCH):
        objs = [
            OrgUnit(
                code=c.key,
                path=f"new:{c.key}",
                **{f: v for f, v in zip(kp.fields, c.values, strict=True) if f in fields},
            )
            for c in batch
        ]
        OrgUnit.objects.bulk_create(objs)
        created_objs.extend(objs)
    ids.units.update({u.code: u.pk for u in created_objs})
    parent_at = kp.fields.index("parent_code")
    for obj, created in zip(created_objs, kp.created, strict=True):
        obj.parent_id = ids.resolve("parent_code", created.values[parent_at])
    OrgUnit.objects.bulk_update(created_objs, ["parent"], batch_size=BATCH // 4)
    updated = [
        (_current_object(OrgUnit, u, key_name="code", kind=UNITS, snapshot=snapshot, ids=ids), u) for u in kp.updated
    ]
    _bulk_update_changes(OrgUnit, updated)
    fix_paths()
    for obj, created in zip(created_objs, kp.created, strict=True):
        audit.add("unit_created", obj, _created_data("code", created.key, kp.fields, created.values))
    for obj, change in updated:
        renamed = _changes_data(change, skip="parent_code")
        if renamed:
            audit.add("unit_updated", obj, {"code": change.key, "changes": renamed})
        if "parent_code" in change.changes:
            old, new = change.changes["parent_code"]
            audit.add("unit_moved", obj, {"code": change.key, "from": old, "to": new})


def fix_paths() -> int:
    """Set every unit's path and depth from its parent links; returns how many changed.

    One read of the tree (thousands of rows) and one ``bulk_update`` of the
    changed: a moved unit's subtree follows it, whatever the order of moves.
    Each path ends in the unit's own id, so no two units ever claim the same
    path, even halfway through.
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
            changed.append(OrgUnit(pk=pk, path=new_path, depth=tree.depth_of(new_path)))
    OrgUnit.objects.bulk_update(changed, ["path", "depth"], batch_size=BATCH // 4)
    return len(changed)


def _apply_members(kp: KindPlan, snapshot: Snapshot, ids: Ids, audit: AuditWriter) -> None:
    role_at = kp.fields.index("role") if "role" in kp.fields else None
    touched = {ids.teams[c.key[0]] for c in kp.created} | {ids.teams[u.key[0]] for u in kp.updated}
    teams = Team.objects.in_bulk(touched)

    def team(code: str) -> Team:
        return teams[ids.teams[code]]

    created = [
        TeamMembership(
            team_id=ids.teams[c.key[0]],
            person_id=ids.people[c.key[1]],
            role=c.values[role_at] if role_at is not None else "",
        )
        for c in kp.created
    ]
    TeamMembership.objects.bulk_create(created, batch_size=BATCH)
    for c in kp.created:
        data = {"staff_number": c.key[1], "role": c.values[role_at] if role_at is not None else ""}
        audit.add("team_member_added", team(c.key[0]), data)
    updated = [TeamMembership(pk=u.id, role=u.changes["role"][1]) for u in kp.updated]
    TeamMembership.objects.bulk_update(updated, ["role"], batch_size=BATCH // 4)
    for u in kp.updated:
        audit.add("team_member_updated", team(u.key[0]), {"staff_number": u.key[1], "changes": _changes_data(u)})
