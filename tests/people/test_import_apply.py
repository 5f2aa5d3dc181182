"""The directory import end to end through the domain verbs: all or nothing, idempotent, audited."""

from __future__ import annotations

from datetime import date

import pytest

from exemplar.core.domain.audit import verify_chain
from exemplar.core.errors import DomainError
from exemplar.core.models import AuditEntry
from exemplar.people.domain.importer.messages import MESSAGES, describe
from exemplar.people.domain.importer.service import run_directory_import, start_directory_import
from exemplar.people.enums import ImportState
from exemplar.people.models import DirectoryImport, OrgUnit, Person, RoleGrant, Team, TeamMembership, User
from tests.factories.directory_files import (
    MEMBER_HEADER,
    PERSON_HEADER,
    TEAM_HEADER,
    UNIT_HEADER,
    csv_bytes,
    person_row,
    upload,
    xlsx_bytes,
)
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def import_file(content: bytes, actor: User, name: str = "directory.csv") -> DirectoryImport:
    return start_directory_import(file=upload(content, name), actor=actor)


def table_counts() -> dict[str, int]:
    models = {"units": OrgUnit, "people": Person, "teams": Team, "members": TeamMembership, "grants": RoleGrant}
    counts = {name: model.objects.count() for name, model in models.items()}
    counts["users"] = User.objects.count()
    counts["audit"] = AuditEntry.objects.count()
    return counts


def directory_state() -> dict[str, list[tuple]]:
    return {
        "units": list(
            OrgUnit.objects.order_by("code").values_list("code", "name", "name_en", "parent__code", "path", "depth")
        ),
        "people": list(Person.objects.order_by("staff_number").values_list()),
        "teams": list(Team.objects.order_by("code").values_list()),
        "members": list(TeamMembership.objects.order_by("id").values_list()),
    }


def workbook(org) -> bytes:
    return xlsx_bytes(
        {
            "units": [UNIT_HEADER, ["C", "丙分部", "Branch C", "ROOT"], ["C1", "丙一所", "", "C"]],
            "people": [
                PERSON_HEADER,
                person_row("E1", "C1", birth_date=date(1980, 5, 6), gender="男", staff_category="科研人员"),
                person_row("E2", "A1", hire_date="2001/02/03", status="退休", management_level="senior"),
            ],
            "teams": [TEAM_HEADER, ["T1", "攻关队", "Task force", "C", "E1"]],
            "team_members": [MEMBER_HEADER, ["T1", "E1", "队长"], ["T1", "E2", "成员"]],
        }
    )


def test_xlsx_round_trip(org, office_user):
    record = import_file(workbook(org), office_user, "directory.xlsx")
    assert (record.state, record.errors, record.total_rows) == (ImportState.DONE, [], 7)
    assert record.summary == {
        "units": {"created": 2, "updated": 0, "unchanged": 0, "moved": 0},
        "people": {"created": 2, "updated": 0, "unchanged": 0},
        "teams": {"created": 1, "updated": 0, "unchanged": 0},
        "team_members": {"created": 2, "updated": 0, "unchanged": 0},
    }
    c, c1 = OrgUnit.objects.get(code="C"), OrgUnit.objects.get(code="C1")
    assert (c.parent, c.path, c.depth) == (org.root, f"{org.root.path}{c.pk:09d}/", 1)
    assert (c1.parent, c1.path, c1.depth) == (c, f"{c.path}{c1.pk:09d}/", 2)
    e1, e2 = Person.objects.get(staff_number="E1"), Person.objects.get(staff_number="E2")
    assert (e1.unit, e1.gender, e1.birth_date, e1.staff_category) == (c1, "male", date(1980, 5, 6), "research")
    assert (e2.unit, e2.hire_date, e2.status, e2.management_level) == (org.a1, date(2001, 2, 3), "retired", "senior")
    team = Team.objects.get(code="T1")
    assert (team.unit, team.lead, team.name_en) == (c, e1, "Task force")
    assert list(team.memberships.order_by("person__staff_number").values_list("person__staff_number", "role")) == [
        ("E1", "队长"),
        ("E2", "成员"),
    ]


def test_audit_entries_for_each_object_and_the_import(org, office_user):
    record = import_file(workbook(org), office_user, "directory.xlsx")
    entries = list(AuditEntry.objects.order_by("seq").values_list("action", "object_repr", "actor_id"))
    assert [a for a, _r, _u in entries] == [
        "exemplar.people.unit_created",
        "exemplar.people.unit_created",
        "exemplar.people.person_created",
        "exemplar.people.person_created",
        "exemplar.people.team_created",
        "exemplar.people.team_member_added",
        "exemplar.people.team_member_added",
        "exemplar.people.directory_imported",
    ]
    assert {u for _a, _r, u in entries} == {office_user.pk}
    last = AuditEntry.objects.order_by("-seq").first()
    assert (last.object_id, last.data["summary"]["people"]["created"], last.data["entries"]) == (str(record.pk), 2, 7)
    person_entry = AuditEntry.objects.filter(action="exemplar.people.person_created").order_by("seq").first()
    assert person_entry.data == {
        "staff_number": "E1",
        "name": "员工E1",
        "name_en": "Employee E1",
        "gender": "male",
        "birth_date": "1980-05-06",
        "hire_date": "2008-09-01",
        "job_title": "设计师",
        "staff_category": "research",
        "management_level": "none",
        "unit_code": "C1",
        "status": "active",
        "email": "e1@example.org",
    }
    assert verify_chain().ok


def test_csv_files_one_kind_at_a_time(org, office_user):
    units = import_file(csv_bytes(UNIT_HEADER, ["C", "丙分部", "", "ROOT"]), office_user, "units.csv")
    people = import_file(csv_bytes(PERSON_HEADER, person_row("E1", "C")), office_user, "people.csv")
    assert (units.state, people.state) == (ImportState.DONE, ImportState.DONE)
    assert Person.objects.get(staff_number="E1").unit.code == "C"


def test_second_import_of_the_same_file_changes_nothing_and_logs_nothing(org, office_user):
    content = workbook(org)
    import_file(content, office_user, "directory.xlsx")
    before, counts = directory_state(), table_counts()
    again = import_file(content, office_user, "directory.xlsx")
    assert again.state == ImportState.DONE
    assert again.summary == {
        "units": {"created": 0, "updated": 0, "unchanged": 2, "moved": 0},
        "people": {"created": 0, "updated": 0, "unchanged": 2},
        "teams": {"created": 0, "updated": 0, "unchanged": 1},
        "team_members": {"created": 0, "updated": 0, "unchanged": 2},
    }
    assert (directory_state(), table_counts()) == (before, counts)


def test_a_bad_row_changes_nothing_at_all(org, office_user):
    PersonFactory(staff_number="E1", unit=org.a1)
    before, counts = directory_state(), table_counts()
    content = xlsx_bytes(
        {
            "units": [UNIT_HEADER, ["C", "丙分部", "", "ROOT"], ["A", "甲", "", "A1"]],
            "people": [
                PERSON_HEADER,
                person_row("E1", "C", name="改名"),
                person_row("E2", "C", birth_date="1990-02-30"),
            ],
        }
    )
    record = import_file(content, office_user, "directory.xlsx")
    assert record.state == ImportState.REJECTED
    assert [(e["sheet"], e["row"], e["column"], e["code"]) for e in record.errors] == [
        ("units", 3, "parent_code", "cycle"),
        ("people", 3, "birth_date", "bad_date"),
    ]
    assert record.error_count == 2
    assert (directory_state(), table_counts()) == (before, counts)


def test_a_person_moves_to_another_unit(org, office_user):
    person = PersonFactory(staff_number="E1", unit=org.a1, name="王芳", name_en="Wang Fang", email="e1@example.org")
    header = ["staff_number", "name", "name_en", "staff_category", "unit_code", "email"]
    record = import_file(
        csv_bytes(header, ["E1", "王芳", "Wang Fang", "technical", "B1", "e1@example.org"]), office_user
    )
    person.refresh_from_db()
    assert (record.summary["people"], person.unit) == ({"created": 0, "updated": 1, "unchanged": 0}, org.b1)
    entry = AuditEntry.objects.get(action="exemplar.people.person_updated")
    assert (entry.object_id, entry.data) == (
        str(person.pk),
        {"staff_number": "E1", "changes": {"unit_code": ["A1", "B1"]}},
    )


def test_reparenting_a_unit_moves_its_subtree(org, office_user):
    PersonFactory(unit=org.a2)
    record = import_file(csv_bytes(UNIT_HEADER, ["A", org.a.name, org.a.name_en, "B1"]), office_user)
    assert record.summary["units"] == {"created": 0, "updated": 1, "unchanged": 0, "moved": 1}
    paths = dict(OrgUnit.objects.values_list("code", "path"))
    depths = dict(OrgUnit.objects.values_list("code", "depth"))
    a_path = f"{org.b1.path}{org.a.pk:09d}/"
    assert (paths["A"], paths["A1"], paths["A2"]) == (a_path, f"{a_path}{org.a1.pk:09d}/", f"{a_path}{org.a2.pk:09d}/")
    assert (depths["A"], depths["A1"], depths["B1"]) == (3, 4, 2)
    assert OrgUnit.objects.get(code="A").parent == org.b1
    entry = AuditEntry.objects.get(action="exemplar.people.unit_moved")
    assert entry.data == {"code": "A", "from": "ROOT", "to": "B1"}
    assert verify_chain().ok


def test_new_units_may_hang_below_a_moved_unit(org, office_user):
    content = csv_bytes(UNIT_HEADER, ["A2X", "新所", "", "A2"], ["A2", org.a2.name, org.a2.name_en, "B"])
    import_file(content, office_user)
    a2, a2x, b = (OrgUnit.objects.get(code=c) for c in ("A2", "A2X", "B"))
    assert (a2.path, a2x.path, a2x.depth) == (f"{b.path}{a2.pk:09d}/", f"{b.path}{a2.pk:09d}/{a2x.pk:09d}/", 3)


def test_first_import_builds_the_tree_in_an_empty_directory(db, django_user_model):
    actor = django_user_model.objects.create_user(username="setup", password="x" * 12)
    content = csv_bytes(
        UNIT_HEADER, ["G1", "一院", "", "GROUP"], ["GROUP", "集团", "Group", ""], ["G11", "一所", "", "G1"]
    )
    record = import_file(content, actor)
    assert record.state == ImportState.DONE
    root = OrgUnit.objects.get(code="GROUP")
    assert (root.parent, root.path, root.depth) == (None, f"{root.pk:09d}/", 0)
    assert (
        OrgUnit.objects.get(code="G11").path
        == f"{root.path}{OrgUnit.objects.get(code='G1').pk:09d}/{OrgUnit.objects.get(code='G11').pk:09d}/"
    )


def test_updates_of_teams_and_roles(org, office_user):
    import_file(workbook(org), office_user, "directory.xlsx")
    content = xlsx_bytes(
        {
            "teams": [TEAM_HEADER, ["T1", "攻关队", "Task force", "C1", "E2"]],
            "team_members": [MEMBER_HEADER, ["T1", "E1", "顾问"], ["T1", "E2", "成员"]],
        }
    )
    record = import_file(content, office_user, "teams.xlsx")
    assert record.summary["teams"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert record.summary["team_members"] == {"created": 0, "updated": 1, "unchanged": 1}
    team = Team.objects.get(code="T1")
    assert (team.unit.code, team.lead.staff_number) == ("C1", "E2")
    assert dict(team.memberships.values_list("person__staff_number", "role")) == {"E1": "顾问", "E2": "成员"}


def test_disguised_or_oversized_uploads_are_refused_and_nothing_is_stored(org, office_user, settings):
    counts = table_counts()
    with pytest.raises(DomainError) as caught:
        import_file(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", office_user, "people.csv")
    assert caught.value.code == "not_text"
    settings.DIRECTORY_IMPORT_MAX_BYTES = 50
    with pytest.raises(DomainError, match="files up to 50"):
        import_file(csv_bytes(UNIT_HEADER, ["C", "丙分部", "Branch C with a long name", "ROOT"]), office_user)
    assert (DirectoryImport.objects.count(), table_counts()) == (0, counts)


def test_a_workbook_without_known_sheets_is_rejected_with_a_file_level_problem(org, office_user):
    record = import_file(xlsx_bytes({"notes": [["hello"]]}), office_user, "notes.xlsx")
    assert (record.state, [(e["row"], e["code"]) for e in record.errors]) == (ImportState.REJECTED, [(0, "no_sheets")])


def test_large_files_go_to_the_task_worker(org, office_user, settings, django_capture_on_commit_callbacks):
    settings.DIRECTORY_IMPORT_INLINE_MAX_BYTES = 0
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        record = import_file(csv_bytes(UNIT_HEADER, ["C", "丙分部", "", "ROOT"]), office_user)
        assert record.state == ImportState.PENDING
    record.refresh_from_db()
    assert (len(callbacks), record.state, record.processed_rows, record.total_rows) == (1, ImportState.DONE, 1, 1)
    assert OrgUnit.objects.filter(code="C").exists()


def test_an_import_runs_once(org, office_user):
    record = import_file(csv_bytes(UNIT_HEADER, ["C", "丙分部", "", "ROOT"]), office_user)
    counts = table_counts()
    again = run_directory_import(import_id=record.pk)
    assert (again.state, again.finished_at, table_counts()) == (ImportState.DONE, record.finished_at, counts)


def test_every_error_code_reads_as_a_sentence():
    params = {
        "value": "X",
        "first_row": "2",
        "parent": "P",
        "code": "C",
        "chain": "A → B → A",
        "root": "R",
        "max": "24",
    }
    params.update({"column": "name", "first": "a", "second": "b", "kind": "units", "line": "3", "detail": "d"})
    params.update({"length": "41", "allowed": "a, b", "size": "1000"})
    sentences = {code: describe(code, params) for code in MESSAGES}
    assert [code for code, text in sentences.items() if "%(" in text or text == code] == []
