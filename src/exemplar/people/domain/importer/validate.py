"""Checking every row of a directory file and planning the change (pure: no Django).

``validate`` takes the tables ``read`` produced and a snapshot of the
directory (plain data, see ``plan``) and returns either the list of every
problem found, each with its sheet, row, column, an error code and its
parameters, or the plan of what to create and update. Messages are the
caller's business (``messages`` turns codes into translated text), so this
module stays free of Django and fast to test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from exemplar.people.domain.importer import cells
from exemplar.people.domain.importer.cells import CellError
from exemplar.people.domain.importer.columns import (
    CHOICE,
    COLUMNS,
    DATE,
    EMAIL,
    HEADER_LOOKUP,
    KEYS,
    PEOPLE,
    TEAM_MEMBERS,
    TEAMS,
    UNITS,
    Column,
    normalise_label,
)
from exemplar.people.domain.importer.plan import FIELDS, Key, Plan, Record, Snapshot, diff
from exemplar.people.domain.importer.read import Progress, Row, Table
from exemplar.people.domain.importer.treecheck import check_tree

PROGRESS_EVERY = 5000
DUPLICATE_CODES = {
    UNITS: "duplicate_unit_code",
    PEOPLE: "duplicate_staff_number",
    TEAMS: "duplicate_team_code",
    TEAM_MEMBERS: "duplicate_member",
}
# Columns whose header must be present, even where some cells may be empty.
HEADER_REQUIRED = {kind: {c.name for c in columns if c.required} for kind, columns in COLUMNS.items()}
HEADER_REQUIRED[UNITS].add("parent_code")  # empty only on the root's row

Parser = Callable[[object], Any]


@dataclass(frozen=True)
class RowError:
    """One problem: where it is (sheet, row, column as headed in the file) and what (code, params)."""

    sheet: str
    row: int
    column: str
    code: str
    params: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "code": self.code, "params": self.params}


@dataclass(frozen=True)
class Outcome:
    """Either ``errors`` (and no plan) or a ``plan`` (and no errors)."""

    rows: int
    errors: list[RowError]
    plan: Plan | None


@dataclass
class Parsed:
    """One table's rows keyed by their upsert key; ``fields`` are its non-key columns, in file order."""

    kind: str
    sheet: str
    fields: tuple[str, ...]
    labels: dict[str, str]
    records: dict[Key, Record] = field(default_factory=dict)

    def value(self, record: Record, name: str) -> Any:
        return record.values[self.fields.index(name)] if name in self.fields else None


@dataclass
class Counter:
    progress: Progress | None
    done: int = 0

    def advance(self, rows: int) -> None:
        self.done += rows
        if self.progress is not None and rows:
            self.progress(self.done)


def validate(tables: list[Table], snapshot: Snapshot, *, progress: Progress | None = None) -> Outcome:
    """Check every row of every table; plan the change only when no row is bad."""
    errors: list[tuple[int, RowError]] = []
    parsed: dict[str, Parsed] = {}
    counter = Counter(progress)
    for order, table in enumerate(tables):
        result, table_errors = _parse_table(table, counter)
        errors.extend((order, e) for e in table_errors)
        if result is not None:
            parsed[table.kind] = result
    order_of = {t.kind: i for i, t in enumerate(tables)}
    errors.extend((order_of[e_kind], e) for e_kind, e in _reference_errors(parsed, snapshot))
    rows = sum(len(t.rows) for t in tables)
    if errors:
        errors.sort(key=lambda pair: (pair[0], pair[1].row))
        return Outcome(rows=rows, errors=[e for _order, e in errors], plan=None)
    kinds = {kind: diff(kind, p.fields, p.records, snapshot[kind]) for kind, p in parsed.items()}
    return Outcome(rows=rows, errors=[], plan=Plan(kinds=kinds))


def _parse_header(table: Table) -> tuple[list[tuple[int, Column, str]], list[RowError]]:
    lookup = HEADER_LOOKUP[table.kind]
    positions: list[tuple[int, Column, str]] = []
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    for index, cell in enumerate(table.header):
        label = cells.as_text(cell)
        if not label:
            continue
        name = lookup.get(normalise_label(label))
        if name is None:
            errors.append(RowError(table.sheet, 1, label, "unknown_column", {"column": label}))
        elif name in seen:
            errors.append(RowError(table.sheet, 1, label, "duplicate_column", {"column": name, "first": seen[name]}))
        else:
            seen[name] = label
            positions.append((index, next(c for c in COLUMNS[table.kind] if c.name == name), label))
    for col in COLUMNS[table.kind]:
        if col.name in HEADER_REQUIRED[table.kind] and col.name not in seen:
            errors.append(RowError(table.sheet, 1, col.name, "missing_column", {"column": col.name}))
    return positions, errors


def _memoised(parse: Parser) -> Parser:
    """The same parser, remembering each distinct cell: dates and choices repeat across 100,000s of rows."""
    seen: dict[object, tuple[bool, Any]] = {}

    def parse_once(value: object) -> Any:
        try:
            ok, result = seen[value]
        except KeyError:
            try:
                ok, result = True, parse(value)
            except CellError as exc:
                ok, result = False, (exc.code, exc.params)
            seen[value] = (ok, result)
        except TypeError:  # an unhashable cell: parse it every time
            return parse(value)
        if not ok:
            raise CellError(result[0], **result[1])
        return result

    return parse_once


def _parser(col: Column) -> Parser:
    if col.type == DATE:
        return _memoised(cells.parse_date)
    if col.type == CHOICE:
        return _memoised(lambda v: cells.parse_choice(v, column=col.name, required=col.required))
    if col.type == EMAIL:
        return lambda v: cells.parse_email(v, max_length=col.max_length)
    limit = col.max_length
    if col.required:

        def required_text(v: object) -> str:
            text = v.strip() if type(v) is str else cells.as_text(v)
            if not text:
                raise CellError("required")
            if len(text) > limit:
                raise CellError("too_long", max=limit, length=len(text))
            return text

        return required_text

    def text(v: object) -> str:
        found = v.strip() if type(v) is str else cells.as_text(v)
        if len(found) > limit:
            raise CellError("too_long", max=limit, length=len(found))
        return found

    return text


def _parse_table(table: Table, counter: Counter) -> tuple[Parsed | None, list[RowError]]:
    positions, errors = _parse_header(table)
    if any(e.code == "missing_column" for e in errors):
        counter.advance(len(table.rows))
        return None, errors
    key_names = KEYS[table.kind]
    names = [col.name for _i, col, _l in positions]
    key_at = [names.index(k) for k in key_names]
    rest_at = [i for i, n in enumerate(names) if n not in key_names]
    parsers = [(index, label, _parser(col)) for index, col, label in positions]
    result = Parsed(
        kind=table.kind,
        sheet=table.sheet,
        fields=tuple(names[i] for i in rest_at),
        labels={col.name: label for _i, col, label in positions},
    )
    first_row: dict[Key, int] = {}
    key_label = result.labels[key_names[-1]]
    rest = itemgetter(*rest_at) if len(rest_at) > 1 else (lambda values: tuple(values[i] for i in rest_at))
    for start in range(0, len(table.rows), PROGRESS_EVERY):
        chunk = table.rows[start : start + PROGRESS_EVERY]
        columns = [
            _parse_column(table.sheet, chunk, index, label, parse, errors=errors) for index, label, parse in parsers
        ]
        for (number, _cells), values in zip(chunk, zip(*columns, strict=True), strict=True):
            key_parts = [values[i] for i in key_at]
            if not all(key_parts):
                continue  # the missing key is already reported
            key: Key = key_parts[0] if len(key_parts) == 1 else tuple(key_parts)
            if key in first_row:
                params = {"value": " / ".join(key_parts), "first_row": str(first_row[key])}
                errors.append(RowError(table.sheet, number, key_label, DUPLICATE_CODES[table.kind], params))
                continue
            first_row[key] = number
            result.records[key] = Record(row=number, values=rest(values))
        counter.advance(len(chunk))
    return result, errors


def _parse_column(
    sheet: str, chunk: list[Row], index: int, label: str, parse: Parser, *, errors: list[RowError]
) -> list[Any]:
    """One column of a chunk of rows: a fast pass, and a careful one only when some cell is bad."""
    try:
        return [parse(cells_[index]) for _n, cells_ in chunk]
    except (CellError, IndexError):
        pass
    values: list[Any] = []
    for number, row in chunk:
        try:
            values.append(parse(row[index] if index < len(row) else None))
        except CellError as exc:
            errors.append(RowError(sheet, number, label, exc.code, exc.params))
            values.append(None)
    return values


def _reference_errors(parsed: dict[str, Parsed], snapshot: Snapshot) -> list[tuple[str, RowError]]:
    """Rows naming a unit, person or team that neither the file nor the directory holds; tree problems."""
    found: list[tuple[str, RowError]] = []
    known = {
        kind: set(snapshot[kind]) | set(parsed[kind].records if kind in parsed else ())
        for kind in (UNITS, PEOPLE, TEAMS)
    }
    checks = [
        (PEOPLE, "unit_code", UNITS, "unknown_unit"),
        (TEAMS, "unit_code", UNITS, "unknown_unit"),
        (TEAMS, "lead_staff_number", PEOPLE, "unknown_person"),
    ]
    for kind, column, target, code in checks:
        table = parsed.get(kind)
        if table is None or column not in table.fields:
            continue
        for record in table.records.values():
            value = table.value(record, column)
            if value and value not in known[target]:
                found.append((kind, RowError(table.sheet, record.row, table.labels[column], code, {"code": value})))
    found.extend(_member_errors(parsed.get(TEAM_MEMBERS), known))
    found.extend(_tree_errors(parsed.get(UNITS), snapshot))
    return found


def _member_errors(members: Parsed | None, known: dict[str, set[Key]]) -> list[tuple[str, RowError]]:
    found: list[tuple[str, RowError]] = []
    if members is None:
        return found
    for (team_code, staff_number), record in members.records.items():
        if team_code not in known[TEAMS]:
            error = RowError(
                members.sheet, record.row, members.labels["team_code"], "unknown_team", {"code": team_code}
            )
            found.append((TEAM_MEMBERS, error))
        if staff_number not in known[PEOPLE]:
            label = members.labels["staff_number"]
            found.append(
                (TEAM_MEMBERS, RowError(members.sheet, record.row, label, "unknown_person", {"code": staff_number}))
            )
    return found


def _tree_errors(units: Parsed | None, snapshot: Snapshot) -> list[tuple[str, RowError]]:
    if units is None:
        return []
    parent_at = FIELDS[UNITS].index("parent_code")
    existing = {code: unit.values[parent_at] for code, unit in snapshot[UNITS].items()}
    file_units = {
        code: (record.row, parent)
        for code, record in units.records.items()
        if (parent := units.value(record, "parent_code")) is not None
    }
    label = units.labels["parent_code"]
    return [
        (UNITS, RowError(units.sheet, issue.row, label, issue.code, issue.params))
        for issue in check_tree(file_units, existing)
    ]
