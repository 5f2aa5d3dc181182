"""The pure side of the directory import: every error code with its row and column, the merged tree, the plan."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, time
from pathlib import Path

import pytest

from exemplar.people.domain.importer.columns import COLUMNS, MAX_DEPTH, PEOPLE, TEAM_MEMBERS, TEAMS, UNITS, VOCABULARIES
from exemplar.people.domain.importer.plan import FIELDS, Existing, Snapshot, empty_snapshot
from exemplar.people.domain.importer.read import Table
from exemplar.people.domain.importer.validate import RowError, validate
from tests.factories.directory_files import MEMBER_HEADER, PERSON_HEADER, TEAM_HEADER, UNIT_HEADER, person_row

pytestmark = pytest.mark.unit


def table(kind: str, header: list[object], *rows: list[object], sheet: str = "") -> Table:
    return Table(
        kind=kind, sheet=sheet or kind, header=tuple(header), rows=[(n, tuple(r)) for n, r in enumerate(rows, 2)]
    )


def existing_tree(**parents: str) -> Snapshot:
    """A snapshot holding units only: code=parent_code ("" for the root)."""
    snapshot = empty_snapshot()
    for pk, (code, parent) in enumerate(parents.items(), start=1):
        snapshot[UNITS][code] = Existing(pk, (f"单位{code}", "", parent))
    return snapshot


BASE = existing_tree(ROOT="", A="ROOT", A1="A", B="ROOT")


def errors_of(*tables: Table, snapshot: Snapshot = BASE) -> list[tuple[str, int, str, str]]:
    outcome = validate(list(tables), snapshot)
    assert outcome.plan is None
    return [(e.sheet, e.row, e.column, e.code) for e in outcome.errors]


def people(*rows: list[object]) -> Table:
    return table(PEOPLE, PERSON_HEADER, *rows)


def units(*rows: list[object]) -> Table:
    return table(UNITS, UNIT_HEADER, *rows)


# --- cells ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "column", "code"),
    [
        ({"name": ""}, "name", "required"),
        ({"staff_category": ""}, "staff_category", "required"),
        ({"staff_number": "E" * 41}, "staff_number", "too_long"),
        ({"birth_date": "2020-02-30"}, "birth_date", "bad_date"),
        ({"hire_date": "31/12/2020"}, "hire_date", "bad_date"),
        ({"disciplinary_date": "1850-01-01"}, "disciplinary_date", "bad_date"),
        ({"staff_category": "工人"}, "staff_category", "unknown_category"),
        ({"gender": "x"}, "gender", "unknown_value"),
        ({"status": "on leave"}, "status", "unknown_value"),
        ({"management_level": "boss"}, "management_level", "unknown_value"),
        ({"email": "not-an-address"}, "email", "bad_email"),
        ({"unit_code": "NOWHERE"}, "unit_code", "unknown_unit"),
    ],
)
def test_each_bad_cell_is_reported_with_its_row_and_column(override, column, code):
    good = person_row("E1", "A1")
    bad = person_row("E2", "A1", **override)
    assert errors_of(people(good, person_row("E3", "A1"), bad)) == [("people", 4, column, code)]


def test_error_parameters_say_what_was_wrong():
    outcome = validate([people(person_row("E1", "A1", staff_category="工人", birth_date="1990-13-01"))], BASE)
    assert [(e.code, e.params) for e in outcome.errors] == [
        ("bad_date", {"value": "1990-13-01"}),
        ("unknown_category", {"value": "工人", "allowed": "front_line, technical, management, research, support"}),
    ]


def test_chinese_headers_values_and_excel_dates_are_accepted():
    header = ["工号", "姓名", "性别", "出生日期", "入职日期", "人员类别", "管理层级", "单位编码", "状态"]
    row = [
        "E1",
        "王芳",
        "女",
        datetime.combine(date(1988, 4, 12), time()),
        "2010/07/01",
        "技术人员",
        "中层管理",
        "A1",
        "在职",
    ]
    outcome = validate([table(PEOPLE, header, row)], BASE)
    assert outcome.errors == []
    created = outcome.plan.get(PEOPLE).created[0]
    assert dict(zip(outcome.plan.get(PEOPLE).fields, created.values, strict=True)) == {
        "name": "王芳",
        "gender": "female",
        "birth_date": date(1988, 4, 12),
        "hire_date": date(2010, 7, 1),
        "staff_category": "technical",
        "management_level": "middle",
        "unit_code": "A1",
        "status": "active",
    }


def test_numbers_from_excel_cells_read_as_text():
    outcome = validate(
        [table(PEOPLE, ["staff_number", "name", "staff_category", "unit_code"], [1001.0, "王", "research", "A1"])], BASE
    )
    assert outcome.plan.get(PEOPLE).created[0].key == "1001"


# --- duplicates and references ---------------------------------------------------


def test_duplicate_staff_number_names_the_first_row():
    outcome = validate([people(person_row("E1", "A1"), person_row("E2", "A1"), person_row("E1", "B"))], BASE)
    assert [(e.row, e.column, e.code, e.params) for e in outcome.errors] == [
        (4, "staff_number", "duplicate_staff_number", {"value": "E1", "first_row": "2"})
    ]


def test_duplicate_unit_code():
    assert errors_of(units(["C", "丙", "", "ROOT"], ["C", "丙二", "", "A"])) == [
        ("units", 3, "code", "duplicate_unit_code")
    ]


def test_missing_parent_unit():
    assert errors_of(units(["C", "丙", "", "ROOT"], ["D", "丁", "", "NOPE"])) == [
        ("units", 3, "parent_code", "missing_parent")
    ]


def test_a_parent_may_come_later_in_the_file():
    outcome = validate([units(["D", "丁", "", "C"], ["C", "丙", "", "ROOT"])], BASE)
    assert (outcome.errors, outcome.plan.summary()[UNITS]["created"]) == ([], 2)


def test_people_may_name_units_of_the_same_file():
    outcome = validate([units(["C", "丙", "", "ROOT"]), people(person_row("E1", "C"))], BASE)
    assert outcome.errors == []


def test_teams_and_members_name_known_units_people_and_teams():
    snapshot = existing_tree(ROOT="", A="ROOT")
    snapshot[PEOPLE]["E9"] = Existing(
        1, ("王", "", "female", None, None, "", "technical", "none", "A", "active", None, "")
    )
    tables = [
        table(TEAMS, TEAM_HEADER, ["T1", "甲队", "", "A", "E9"], ["T2", "乙队", "", "ZZ", "E404"]),
        table(
            TEAM_MEMBERS,
            MEMBER_HEADER,
            ["T1", "E9", "队长"],
            ["T3", "E9", ""],
            ["T1", "E404", ""],
            ["T1", "E9", "again"],
        ),
    ]
    assert errors_of(*tables, snapshot=snapshot) == [
        ("teams", 3, "unit_code", "unknown_unit"),
        ("teams", 3, "lead_staff_number", "unknown_person"),
        ("team_members", 3, "team_code", "unknown_team"),
        ("team_members", 4, "staff_number", "unknown_person"),
        ("team_members", 5, "staff_number", "duplicate_member"),
    ]


# --- the tree ----------------------------------------------------------------------


def test_cycle_within_the_file():
    outcome = validate([units(["C", "丙", "", "D"], ["D", "丁", "", "C"])], BASE)
    assert [(e.row, e.column, e.code, e.params["chain"]) for e in outcome.errors] == [
        (2, "parent_code", "cycle", "C → D → C"),
        (3, "parent_code", "cycle", "C → D → C"),
    ]


def test_cycle_through_existing_units():
    """A is an existing ancestor of A1; placing A under A1 loops through the directory's own link A1 → A."""
    outcome = validate([units(["A", "甲", "", "A1"])], BASE)
    assert [(e.row, e.code, e.params["chain"]) for e in outcome.errors] == [(2, "cycle", "A → A1 → A")]


def test_unit_may_not_be_its_own_parent():
    assert errors_of(units(["C", "丙", "", "C"])) == [("units", 2, "parent_code", "cycle")]


def test_moving_a_subtree_elsewhere_is_fine():
    outcome = validate([units(["A", "甲", "", "B"])], BASE)
    assert outcome.errors == []
    assert outcome.plan.get(UNITS).updated[0].changes == {"name": ("单位A", "甲"), "parent_code": ("ROOT", "B")}
    assert outcome.plan.summary()[UNITS] == {"created": 0, "updated": 1, "unchanged": 0, "moved": 1}


def test_second_root_and_moving_the_root_are_refused():
    assert errors_of(units(["NEW", "新集团", "", ""], ["ROOT", "集团", "", "A"])) == [
        ("units", 2, "parent_code", "second_root"),
        ("units", 3, "parent_code", "root_moved"),
    ]


def test_first_import_into_an_empty_directory_has_one_root():
    outcome = validate(
        [units(["R", "集团", "", ""], ["S", "一院", "", "R"], ["R2", "又一个", "", ""])], empty_snapshot()
    )
    assert [(e.row, e.code) for e in outcome.errors] == [(4, "second_root")]


def test_too_deep_a_tree_is_refused_on_the_row_that_makes_it_so():
    chain = [[f"L{i}", f"层{i}", "", f"L{i - 1}" if i else "ROOT"] for i in range(MAX_DEPTH)]
    outcome = validate([units(*chain)], BASE)
    # ROOT is level 0, so L{MAX_DEPTH - 1} sits at level MAX_DEPTH: the deepest allowed.
    assert outcome.errors == []
    outcome = validate([units(*chain, ["DEEP", "太深", "", f"L{MAX_DEPTH - 1}"])], BASE)
    assert [(e.row, e.code) for e in outcome.errors] == [(MAX_DEPTH + 2, "too_deep")]


# --- headers -------------------------------------------------------------------------


def test_header_problems_are_on_row_one():
    header = ["staff_number", "name", "nickname", "name", "unit_code"]
    assert errors_of(table(PEOPLE, header, ["E1", "王", "小王", "王", "A1"])) == [
        ("people", 1, "nickname", "unknown_column"),
        ("people", 1, "name", "duplicate_column"),
        ("people", 1, "staff_category", "missing_column"),
    ]


def test_errors_come_sheet_by_sheet_in_row_order():
    tables = [units(["C", "", "", "ROOT"]), people(person_row("E1", "A1", gender="?"), person_row("E2", "NOPE"))]
    assert errors_of(*tables) == [
        ("units", 2, "name", "required"),
        ("people", 2, "gender", "unknown_value"),
        ("people", 3, "unit_code", "unknown_unit"),
    ]


# --- the plan --------------------------------------------------------------------------


def _snapshot_after(tables: list[Table], base: Snapshot) -> Snapshot:
    """The snapshot the directory would give once ``tables`` were applied (all columns present)."""
    plan = validate(tables, base).plan
    snapshot = {kind: dict(rows) for kind, rows in base.items()}
    for kind, kind_plan in plan.kinds.items():
        assert kind_plan.fields == FIELDS[kind]
        for n, created in enumerate(kind_plan.created, start=1000):
            snapshot[kind][created.key] = Existing(n, created.values)
    return snapshot


def test_the_same_file_again_plans_nothing():
    tables = [
        units(["C", "丙", "C", "ROOT"], ["C1", "丙一", "", "C"]),
        people(person_row("E1", "C1"), person_row("E2", "A1", birth_date="")),
        table(TEAMS, TEAM_HEADER, ["T1", "甲队", "Team 1", "C", "E1"]),
        table(TEAM_MEMBERS, MEMBER_HEADER, ["T1", "E1", "队长"], ["T1", "E2", ""]),
    ]
    first = validate(tables, BASE).plan
    assert first.summary() == {
        UNITS: {"created": 2, "updated": 0, "unchanged": 0, "moved": 0},
        PEOPLE: {"created": 2, "updated": 0, "unchanged": 0},
        TEAMS: {"created": 1, "updated": 0, "unchanged": 0},
        TEAM_MEMBERS: {"created": 2, "updated": 0, "unchanged": 0},
    }
    again = validate(tables, _snapshot_after(tables, BASE)).plan
    assert (again.is_empty, again.summary()[PEOPLE]) == (True, {"created": 0, "updated": 0, "unchanged": 2})


def test_only_changed_fields_are_planned():
    tables = [people(person_row("E1", "A1"))]
    snapshot = _snapshot_after(tables, BASE)
    plan = validate([people(person_row("E1", "B", job_title="总设计师"))], snapshot).plan
    assert [(u.key, u.row, u.changes) for u in plan.get(PEOPLE).updated] == [
        ("E1", 2, {"job_title": ("设计师", "总设计师"), "unit_code": ("A1", "B")})
    ]


def test_columns_left_out_of_the_file_are_left_alone():
    snapshot = _snapshot_after([people(person_row("E1", "A1", email="wang@example.org"))], BASE)
    header = ["staff_number", "name", "name_en", "staff_category", "unit_code"]
    plan = validate([table(PEOPLE, header, ["E1", "员工E1", "Employee E1", "technical", "A1"])], snapshot).plan
    assert plan.is_empty


def test_row_error_serialises_to_plain_data():
    error = RowError("people", 7, "出生日期", "bad_date", {"value": "x"})
    assert error.as_dict() == {
        "sheet": "people",
        "row": 7,
        "column": "出生日期",
        "code": "bad_date",
        "params": {"value": "x"},
    }


# --- the format agrees with the models -----------------------------------------------


def test_allowed_values_are_the_enum_values():
    from exemplar.people.enums import Gender, ManagementLevel, PersonStatus, StaffCategory

    assert {k: set(v) for k, v in VOCABULARIES.items()} == {
        "gender": set(Gender.values),
        "staff_category": set(StaffCategory.values),
        "management_level": set(ManagementLevel.values),
        "status": set(PersonStatus.values),
    }


def test_column_lengths_match_the_model_fields():
    from django.core.exceptions import FieldDoesNotExist

    from exemplar.people.models import OrgUnit, Person, Team, TeamMembership

    models = {UNITS: OrgUnit, PEOPLE: Person, TEAMS: Team, TEAM_MEMBERS: TeamMembership}
    compared, mismatched = [], []
    for kind, columns in COLUMNS.items():
        for col in columns:
            if not col.max_length:
                continue  # dates and choices: bounded by their format, not a length
            try:
                field = models[kind]._meta.get_field(col.name)
            except FieldDoesNotExist:
                continue  # a reference to another row, checked against that row's key
            compared.append(col.name)
            if field.max_length != col.max_length:
                mismatched.append((kind, col.name, field.max_length, col.max_length))
    assert mismatched == []
    assert len(compared) == 12, compared


def test_pure_modules_import_no_django():
    code = (
        "import sys\n"
        "import exemplar.people.domain.importer.validate, exemplar.people.domain.importer.read\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.strip() == "[]"
