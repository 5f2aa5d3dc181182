"""The office's screening dashboard, its export, the dossier's screening panels, the vetting pages."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from exemplar.nominations.enums import NominationState, VettingVerdict
from exemplar.nominations.models import Nomination, VettingDecision
from exemplar.people.enums import Role
from exemplar.programmes.enums import PhaseKind
from tests.factories.people import PersonFactory, TeamFactory, add_member, grant, make_user
from tests.factories.programmes import make_programme, set_phase
from tests.factories.screening import BLOCKER, WARNING, dossier, signatory

pytestmark = pytest.mark.integration

DUPLICATE = {
    "code": "same_person",
    "other": 1,
    "reference": "2026-INDIVIDUAL-99999",
    "name": "某人",
    "name_en": "Someone",
}


@pytest.fixture
def programme(office_user):
    return make_programme(office_user, phase=PhaseKind.SCREENING)


@pytest.fixture
def listed(org, programme, office_user):
    """Four dossiers the office sees, in both branches, and a draft it must not."""
    wang = PersonFactory(unit=org.a, name="王伟", name_en="Wang Wei")
    li = PersonFactory(unit=org.a1, name="李娜", name_en="Li Na")
    team = TeamFactory(unit=org.b1, name="总装团队", name_en="Assembly team")
    add_member(team, PersonFactory(unit=org.b1))
    return {
        "wang": dossier(programme, org.a, person=wang, created_by=office_user, eligibility=[BLOCKER]),
        "li": dossier(programme, org.a1, person=li, state=NominationState.CONFIRMED, created_by=office_user),
        "team": dossier(
            programme, org.b1, team=team, created_by=office_user, eligibility=[WARNING], duplicates=[DUPLICATE]
        ),
        "vetoed": dossier(programme, org.b, state=NominationState.VETOED, created_by=office_user),
        "draft": dossier(programme, org.b, state=NominationState.DRAFT, created_by=office_user),
    }


@dataclass
class World:
    org: Any
    programme: Any
    office: Any


@pytest.fixture
def world(org, programme, office_user) -> World:
    return World(org, programme, office_user)


def _dashboard(client, programme, **params):
    return client.get(reverse("backoffice:office_dashboard", args=[programme.pk]), params)


def _refs(response) -> list[str]:
    return [n.reference for n in response.context["page_obj"]]


def test_filters_and_search(client, office_user, org, programme, listed):
    client.force_login(office_user)

    def newest_first(*keys: str) -> list[str]:
        return [listed[k].reference for k in sorted(keys, key=lambda k: -listed[k].pk)]

    everything = newest_first("wang", "li", "team", "vetoed")
    team_category = programme.categories.get(code="team").pk
    cases = [
        ({}, everything),
        ({"state": "received"}, newest_first("wang", "team")),
        ({"category": team_category}, newest_first("team")),
        ({"unit": org.a.pk}, newest_first("wang", "li")),
        ({"unit": org.b.pk, "state": "vetoed"}, newest_first("vetoed")),
        ({"eligibility": "blocking"}, newest_first("wang")),
        ({"eligibility": "any"}, newest_first("wang", "team")),
        ({"eligibility": "clean"}, newest_first("li", "vetoed")),
        ({"duplicates": "1"}, newest_first("team")),
        ({"q": "wang wei"}, newest_first("wang")),
        ({"q": "李"}, newest_first("li")),
        ({"q": "assembly"}, newest_first("team")),
        ({"q": listed["team"].reference[-5:]}, newest_first("team")),
        ({"state": "draft"}, everything),  # not a state the office sees: the filter is dropped
        ({"q": "nobody at all"}, []),
    ]
    for params, expected in cases:
        assert _refs(_dashboard(client, programme, **params)) == expected, params


def test_counts_by_state_and_by_unit_and_category(client, office_user, org, programme, listed):
    client.force_login(office_user)
    response = _dashboard(client, programme)
    assert response.context["states"] == [
        ("received", "Received by the office", 2),
        ("confirmed", "Confirmed by screening", 1),
        ("vetoed", "Vetoed", 1),
    ]
    counts = response.context["counts"]
    assert [c.code for c in counts.categories] == ["individual", "team"]
    assert [(r.unit.code, [n for _, n in r.cells], r.total) for r in counts.rows] == [
        ("A", [2, 0], 2),
        ("B", [1, 1], 2),
    ]
    assert ([n for _, n in counts.totals], counts.total) == ([3, 1], 4)
    assert "Run eligibility checks now" in response.text


def test_the_export_holds_the_filtered_list_in_words(client, office_user, org, programme, listed):
    client.force_login(office_user)
    response = client.get(reverse("backoffice:office_export", args=[programme.pk]), {"state": "received"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith(f'attachment; filename="dossiers-{programme.year}-')
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "Reference",
        "Nominee",
        "Category",
        "Nominating unit",
        "Secondary unit",
        "State",
        "Submitted at",
        "Eligibility findings",
        "Possible duplicates",
        "Vetting",
    ]
    wang, team = listed["wang"], listed["team"]
    assert [r[:6] + r[7:] for r in rows[1:]] == [
        [
            wang.reference,
            "Wang Wei",
            "Role model",
            "Unit A",
            "Unit A",
            "Received by the office",
            "2 years of service; 5 are required.",
            None,
            None,
        ],
        [
            team.reference,
            "Assembly team",
            "Role-model team",
            "Unit B1",
            "Unit B",
            "Received by the office",
            "Member: Not an active employee (Left).",
            "The same person is also nominated in 2026-INDIVIDUAL-99999.",
            None,
        ],
    ]


def test_the_export_summarises_vetting(client, office_user, org, programme, listed):
    departments = list(programme.vetting_departments.order_by("order"))
    VettingDecision.objects.create(
        nomination=listed["vetoed"],
        department=departments[1],
        verdict=VettingVerdict.VETOED,
        reason="Record under review",
        decided_by=office_user,
        decided_at=listed["vetoed"].created_at,
    )
    VettingDecision.objects.create(
        nomination=listed["li"],
        department=departments[0],
        verdict=VettingVerdict.APPROVED,
        decided_by=office_user,
        decided_at=listed["li"].created_at,
    )
    client.force_login(office_user)
    response = client.get(reverse("backoffice:office_export", args=[programme.pk]))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    vetting = {r[0]: r[9] for r in rows[1:]}
    assert vetting == {
        listed["wang"].reference: None,
        listed["li"].reference: "Approved by 1 of 3 departments; missing: Human resources, Safety",
        listed["team"].reference: None,
        listed["vetoed"].reference: "Vetoed by Human resources: Record under review",
    }


def test_who_may_open_the_dashboard(client, request, programme, listed):
    url = reverse("backoffice:office_dashboard", args=[programme.pk])
    auditor_user = request.getfixturevalue("auditor_user")
    for name in ("coordinator_a", "employee_user", "reviewer_user"):
        user = request.getfixturevalue(name)
        client.force_login(user)
        assert (client.get(url).status_code, client.get(url + "export.xlsx").status_code) == (403, 403), user
    client.force_login(auditor_user)
    response = client.get(url)
    assert (response.status_code, "Run eligibility checks now" in response.text) == (200, False)
    assert client.post(reverse("backoffice:office_run_checks", args=[programme.pk])).status_code == 403


def test_run_checks_now(client, office_user, org, programme):
    nomination = dossier(programme, org.a, person=PersonFactory(unit=org.a, hire_date=None), created_by=office_user)
    programme.categories.filter(code="individual").update(min_service_years=3)
    client.force_login(office_user)
    response = client.post(reverse("backoffice:office_run_checks", args=[programme.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Checked 1 nominations: 1 fail a rule, 0 may be duplicates."
    ]
    nomination.refresh_from_db()
    assert [f["code"] for f in nomination.eligibility] == ["service_unknown"]


# --- the dossier page ------------------------------------------------------------------------------------------


def test_the_office_sees_findings_duplicates_and_decides(client, office_user, org, programme, listed):
    team = listed["team"]
    client.force_login(office_user)
    page = client.get(team.get_absolute_url()).text
    assert "Member: " not in page  # per candidate: the member's name heads their findings
    assert "Not an active employee (Left)." in page
    assert "The same person is also nominated in 2026-INDIVIDUAL-99999." in page
    assert 'href="{}">Open</a>'.format(reverse("backoffice:nomination", args=[DUPLICATE["other"]])) in page
    assert 'action="{}"'.format(reverse("backoffice:nomination_confirm", args=[team.pk])) in page

    response = client.post(reverse("backoffice:nomination_confirm", args=[team.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "This nomination has eligibility findings or possible duplicates: say why you confirm it anyway."
    ]
    assert Nomination.objects.get(pk=team.pk).state == NominationState.RECEIVED
    client.post(reverse("backoffice:nomination_confirm", args=[team.pk]), {"confirm-note": "Member left last week"})
    team.refresh_from_db()
    assert (team.state, team.decision_reason) == (NominationState.CONFIRMED, "Member left last week")

    wang = listed["wang"]
    client.post(reverse("backoffice:nomination_reject", args=[wang.pk]), {"reject-reason": "Too few years"})
    wang.refresh_from_db()
    assert (wang.state, wang.decision_reason) == (NominationState.REJECTED, "Too few years")


def test_the_nominating_coordinator_sees_findings_but_not_duplicates_and_cannot_decide(
    client, coordinator_a, org, programme, office_user
):
    mine = dossier(programme, org.a1, created_by=office_user, eligibility=[BLOCKER], duplicates=[DUPLICATE])
    client.force_login(coordinator_a)
    page = client.get(mine.get_absolute_url()).text
    assert "2 years of service; 5 are required." in page
    assert "2026-INDIVIDUAL-99999" not in page
    assert "Screening decision" not in page
    assert client.post(reverse("backoffice:nomination_confirm", args=[mine.pk])).status_code == 403
    assert Nomination.objects.get(pk=mine.pk).state == NominationState.RECEIVED


# --- vetting pages ----------------------------------------------------------------------------------------------


@pytest.fixture
def vetting(org, programme):
    set_phase(programme, PhaseKind.VETTING)
    department = programme.vetting_departments.order_by("order").first()
    return department, signatory("inspector", department, org.root)


def test_a_signatory_approves_and_vetoes_from_the_worklist(client, org, programme, office_user, vetting):
    department, inspector = vetting
    first = dossier(programme, org.a, state=NominationState.CONFIRMED, created_by=office_user)
    second = dossier(programme, org.b, state=NominationState.CONFIRMED, created_by=office_user)
    client.force_login(inspector)
    worklist = reverse("backoffice:vetting_worklist", args=[programme.pk])
    assert [n.pk for n in client.get(worklist).context["page_obj"]] == [first.pk, second.pk]

    vet = reverse("backoffice:nomination_vet", args=[first.pk])
    client.post(vet, {"department": department.pk, "verdict": "approved"})
    response = client.post(
        reverse("backoffice:nomination_vet", args=[second.pk]),
        {"department": department.pk, "verdict": "vetoed"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]][
        -1
    ] == "Say why the candidate is vetoed: the reason is recorded."
    client.post(
        reverse("backoffice:nomination_vet", args=[second.pk]),
        {"department": department.pk, "verdict": "vetoed", "reason": "Open investigation"},
    )
    assert list(VettingDecision.objects.order_by("nomination_id").values_list("verdict", "reason")) == [
        ("approved", ""),
        ("vetoed", "Open investigation"),
    ]
    assert Nomination.objects.get(pk=second.pk).state == NominationState.VETOED
    assert list(client.get(worklist).context["page_obj"]) == []


def test_a_signatory_of_one_programme_cannot_act_on_another(client, org, office_user, programme, vetting):
    department, inspector = vetting
    other = make_programme(office_user, year=2027, phase=PhaseKind.VETTING)
    theirs = dossier(other, org.a, state=NominationState.CONFIRMED, created_by=office_user)
    client.force_login(inspector)
    response = client.post(
        reverse("backoffice:nomination_vet", args=[theirs.pk]), {"department": department.pk, "verdict": "approved"}
    )
    assert response.status_code == 403
    assert client.get(reverse("backoffice:vetting_worklist", args=[other.pk])).status_code == 403
    assert client.get(reverse("backoffice:vetting_matrix", args=[programme.pk])).status_code == 403
    assert (VettingDecision.objects.count(), Nomination.objects.get(pk=theirs.pk).state) == (0, "confirmed")


def test_the_office_reads_worklists_and_the_matrix(client, org, programme, office_user, vetting):
    department, inspector = vetting
    waiting = dossier(programme, org.a, state=NominationState.CONFIRMED, created_by=office_user)
    VettingDecision.objects.create(
        nomination=waiting,
        department=department,
        verdict="approved",
        decided_by=inspector,
        decided_at=waiting.created_at,
    )
    client.force_login(office_user)
    worklist = client.get(reverse("backoffice:vetting_worklist", args=[programme.pk]))
    assert (worklist.context["can_sign"], worklist.context["department"]) == (False, department)
    assert "Veto this candidate" not in worklist.text
    matrix = client.get(reverse("backoffice:vetting_matrix", args=[programme.pk]))
    assert [[c.verdict if c else None for c in row.cells] for row in matrix.context["matrix"].rows] == [
        ["approved", None, None]
    ]
    assert [(d.name_en, n) for d, n in matrix.context["missing_by_department"]] == [
        ("Discipline inspection", 0),
        ("Human resources", 1),
        ("Safety", 1),
    ]


def test_the_vetting_home_lists_the_signatorys_departments(client, org, programme, office_user, vetting):
    department, inspector = vetting
    dossier(programme, org.a, state=NominationState.CONFIRMED, created_by=office_user)
    client.force_login(inspector)
    response = client.get(reverse("backoffice:vetting_home"))
    assert response.context["departments"] == [(department, 1)]
    assert f"?department={department.pk}" in response.text


# --- the same queries at 1 and 3 items ----------------------------------------------------------------------


def _make(world: World, n: int) -> None:
    """``n`` confirmed dossiers, people and teams, in both branches, with vetting decisions."""
    org = world.org
    department = world.programme.vetting_departments.order_by("order").last()
    for i in range(n):
        team = TeamFactory(unit=org.b1)
        add_member(team, PersonFactory(unit=org.b1))
        kwargs = {"team": team} if i % 2 else {}
        made = dossier(
            world.programme,
            org.a1 if i % 2 else org.b,
            state=NominationState.CONFIRMED,
            created_by=world.office,
            eligibility=[BLOCKER],
            duplicates=[DUPLICATE],
            **kwargs,
        )
        VettingDecision.objects.create(
            nomination=made,
            department=department,
            verdict="approved",
            decided_by=world.office,
            decided_at=made.created_at,
        )


@pytest.mark.parametrize("n", [1, 3])
def test_dashboard_queries(client, django_assert_num_queries, world, n):
    programme = world.programme
    _make(world, n)
    client.force_login(world.office)
    with django_assert_num_queries(16):
        response = _dashboard(client, programme)
    assert len(response.context["page_obj"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_export_queries(client, django_assert_num_queries, world, n):
    programme = world.programme
    _make(world, n)
    client.force_login(world.office)
    with django_assert_num_queries(9):
        response = client.get(reverse("backoffice:office_export", args=[programme.pk]))
    assert load_workbook(BytesIO(response.content)).active.max_row == n + 1


@pytest.mark.parametrize("n", [1, 3])
def test_matrix_queries(client, django_assert_num_queries, world, n):
    programme = world.programme
    _make(world, n)
    client.force_login(world.office)
    with django_assert_num_queries(14):
        response = client.get(reverse("backoffice:vetting_matrix", args=[programme.pk]))
    assert len(response.context["matrix"].rows) == n


@pytest.mark.parametrize("n", [1, 3])
def test_worklist_queries(client, django_assert_num_queries, world, vetting, n):
    programme, inspector = world.programme, vetting[1]
    _make(world, n)
    client.force_login(inspector)
    with django_assert_num_queries(14):
        response = client.get(reverse("backoffice:vetting_worklist", args=[programme.pk]))
    assert len(response.context["page_obj"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_screening_home_queries(client, django_assert_num_queries, office_user, n):
    for year in range(2020, 2020 + n):
        make_programme(office_user, year=year)
    client.force_login(office_user)
    with django_assert_num_queries(8):
        response = client.get(reverse("backoffice:screening_home"))
    assert len(response.context["programmes"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_vetting_home_queries(client, django_assert_num_queries, org, office_user, n):
    inspector = make_user("inspector", person=PersonFactory(unit=org.root))
    grant(inspector, Role.VETTING, org.root)
    for year in range(2020, 2020 + n):
        make_programme(office_user, year=year).vetting_departments.first().members.add(inspector)
    client.force_login(inspector)
    with django_assert_num_queries(8):
        response = client.get(reverse("backoffice:vetting_home"))
    assert len(response.context["departments"]) == n
