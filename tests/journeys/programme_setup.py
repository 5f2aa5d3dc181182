"""The programme office sets a programme up through its pages, for the journey in test_programme_cycle.

Categories with seats and eligibility rules, a rubric with weights and
bilingual level descriptors, a composition rule, phase windows (one phase
left out), two vetting departments with their signatories, and quotas
apportioned by headcount; the set-up blockers first, the move to nominating
last.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.urls import resolve, reverse
from django.utils import timezone

from exemplar.people.models import OrgUnit, User
from exemplar.programmes.enums import PhaseKind
from tests.journeys.pages import Visitor

YEAR = timezone.localdate().year


def local_input(day: date, hour: int = 9) -> str:
    return f"{day.isoformat()}T{hour:02d}:00"


def set_up_programme(office: Visitor, vetters: tuple[User, User]) -> int:
    """The office creates the programme through the set-up pages, meeting the set-up blockers first."""
    assert office.get("programme_new").texts("h1") == [office.t("New programme")]
    page = office.post(
        "programme_new",
        data={
            "name": f"{YEAR}年度榜样评选",
            "name_en": f"Role Models {YEAR}",
            "year": YEAR,
            "description": "员工评选榜样、榜样带动员工",
            "description_en": "Employees elect role models; role models lead employees.",
            "joint_nomination_size": 10,
        },
    )
    programme = page.kwargs["programme"]
    assert page.messages == [office.t("Programme created. Set up its categories, rubric and phases next.")]
    # The tab strip links every set-up page, the quota table included.
    assert page.texts("nav.tabs a") == [
        office.t(s)
        for s in (
            "Overview",
            "Details",
            "Categories",
            "Rubric",
            "Composition rules",
            "Nomination quotas",
            "Phases",
            "Vetting departments",
        )
    ]
    assert f'href="{reverse("backoffice:quotas", args=[programme])}"' in page.html

    # Nothing set up yet: the move to nominating lists what is missing, and a forced move is refused.
    missing = [office.t("No category has been set up."), office.t("The rubric has no weighted criterion.")]
    assert office.get("programme_advance", programme).texts("ul.blockers li") == missing
    page = office.post("programme_advance", programme, data={"from_kind": PhaseKind.SETUP})
    blocked = office.nt(
        "The programme cannot move on to “%(phase)s” yet: %(n)d thing stands in the way.",
        "The programme cannot move on to “%(phase)s” yet: %(n)d things stand in the way.",
        2,
        phase=office.label(PhaseKind.NOMINATION),
        n=2,
    )
    assert (page.messages, page.texts("ul.blockers li")) == ([blocked], missing)

    add_categories(office, programme)
    add_rubric(office, programme)
    page = office.post(
        "programme_rule_add",
        programme,
        data={
            "category": "",
            "kind": "at_most_share",
            "threshold": "20",
            "attribute": "management_level",
            "value": "senior",
        },
    )
    assert page.messages == [office.t("Rule added.")]
    assert page.texts("tbody tr td strong") == ["20 %"]
    set_phases(office, programme)
    add_departments(office, programme, vetters)
    apportion(office, programme)

    page = office.get("programme_advance", programme)
    assert (page.texts("ul.blockers li"), page.texts("form button.btn-primary")) == (
        [],
        [office.t("Move on to “%(to)s”", to=office.label(PhaseKind.NOMINATION))],
    )
    page = office.post("programme_advance", programme, data={"from_kind": PhaseKind.SETUP})
    assert page.messages == [
        office.t("The programme has moved on to “%(phase)s”.", phase=office.label(PhaseKind.NOMINATION))
    ]
    assert page.texts("ol.phase-timeline li.stage-current span.phase-name") == [office.label(PhaseKind.NOMINATION)]
    # A second click on the same button (or a colleague's) does not skip a phase.
    page = office.post("programme_advance", programme, data={"from_kind": PhaseKind.SETUP})
    assert page.messages == [office.t("The programme has already moved on; look again.")]
    assert page.texts("ol.phase-timeline li.stage-current span.phase-name") == [office.label(PhaseKind.NOMINATION)]
    return int(programme)


def add_categories(office: Visitor, programme: int) -> None:
    common = {"reviewers_per_nomination": 3, "require_active": "on"}
    page = office.post(
        "programme_category_add",
        programme,
        data={
            **common,
            "code": "individual",
            "name": "榜样个人",
            "name_en": "Role model",
            "kind": "individual",
            "seats": 1,
            "order": 1,
            "min_service_years": 3,
            "disciplinary_window_years": 5,
            "honour_window_years": 3,
        },
    )
    assert page.messages == [office.t("Category added.")]
    page = office.post(
        "programme_category_add",
        programme,
        data={
            **common,
            "code": "team",
            "name": "榜样团队",
            "name_en": "Role-model team",
            "kind": "collective",
            "seats": 1,
            "order": 2,
        },
    )
    assert page.texts("td.code") == ["individual", "team"]
    eligibility = page.texts("ul.compact li")
    assert eligibility == [
        office.nt("at least %(n)s year of service", "at least %(n)s years of service", 3, n=3),
        office.t("active employees only"),
        office.nt("no disciplinary record within %(n)s year", "no disciplinary record within %(n)s years", 5, n=5),
        office.nt(
            "not honoured in this category within %(n)s year",
            "not honoured in this category within %(n)s years",
            3,
            n=3,
        ),
        office.t("active employees only"),
    ]


def _levels(levels: list[tuple[int, str, str]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "levels-TOTAL_FORMS": len(levels),
        "levels-INITIAL_FORMS": 0,
        "levels-MIN_NUM_FORMS": 0,
        "levels-MAX_NUM_FORMS": 10,
    }
    for i, (score, descriptor, descriptor_en) in enumerate(levels):
        data |= {
            f"levels-{i}-score": score,
            f"levels-{i}-descriptor": descriptor,
            f"levels-{i}-descriptor_en": descriptor_en,
        }
    return data


def add_rubric(office: Visitor, programme: int) -> None:
    # A criterion without a descriptor is refused and nothing is added.
    page = office.post(
        "programme_criterion_add",
        programme,
        data={"name": "爱岗敬业", "name_en": "Dedication", "weight": "60", "order": 1, **_levels([(5, "", "")])},
    )
    assert page.texts("td.field-invalid ul.field-errors li") == [office.t("This field is required.")]
    assert office.get("programme_rubric", programme).texts("section.card h3") == []
    criteria = [
        (
            "爱岗敬业",
            "Dedication",
            "60",
            [
                (5, "长期扎根一线", "Years on the front line"),
                (3, "认真履职", "Does the job well"),
                (1, "表现一般", "Ordinary"),
            ],
        ),
        (
            "创新突破",
            "Innovation",
            "40",
            [(5, "关键技术突破", "A key breakthrough"), (1, "无明显创新", "No notable innovation")],
        ),
    ]
    for order, (name, name_en, weight, levels) in enumerate(criteria, start=1):
        page = office.post(
            "programme_criterion_add",
            programme,
            data={"name": name, "name_en": name_en, "weight": weight, "order": order, **_levels(levels)},
        )
        assert page.messages == [office.t("Criterion added.")]
    assert page.texts("section.card span.badge") == [
        office.t("%(share)s %% of the total (weight %(weight)s)", share="60.0", weight="60.00"),
        office.t("%(share)s %% of the total (weight %(weight)s)", share="40.0", weight="40.00"),
    ]
    assert page.texts("section.card td") == [
        "5", "长期扎根一线", "Years on the front line", "3", "认真履职", "Does the job well", "1", "表现一般", "Ordinary",
        "5", "关键技术突破", "A key breakthrough", "1", "无明显创新", "No notable innovation",
    ]  # fmt: skip


def set_phases(office: Visitor, programme: int) -> None:
    today = timezone.localdate()
    page = office.get("programme_phases", programme)
    assert page.texts("tbody td.num") == [str(i) if j == 0 else "—" for i in range(1, 11) for j in (0, 1)]
    phase_ids = _phase_ids(office, programme)
    windows = {
        PhaseKind.NOMINATION: (
            today - timedelta(days=1),
            today + timedelta(days=30),
            "1",
            ["can_nominate", "can_endorse"],
        ),
        PhaseKind.SCREENING: (today + timedelta(days=31), today + timedelta(days=45), "", ["can_screen"]),
        PhaseKind.VETTING: (today + timedelta(days=46), today + timedelta(days=60), "", ["can_vet"]),
    }
    for kind, (starts, ends, ratio, flags) in windows.items():
        data = {"starts_at": local_input(starts), "ends_at": local_input(ends, 18), "min_candidates_per_seat": ratio}
        page = office.post("programme_phase", programme, phase_ids[kind], data={**data, **dict.fromkeys(flags, "on")})
        assert page.messages == [office.t("Phase saved.")]
    # This programme runs no employee election.
    page = office.post("programme_phase_delete", programme, phase_ids[PhaseKind.ELECTION])
    assert page.messages == [office.t("Phase removed from the programme.")]
    rows = page.texts("tbody tr")
    assert len(rows) == 9
    assert rows[1].startswith(f"2 {office.label(PhaseKind.NOMINATION)} {today - timedelta(days=1):%Y-%m-%d} 09:00")


def _phase_ids(office: Visitor, programme: int) -> dict[str, int]:
    """The phases' ids, from the edit links of the phases page (one per phase, in the usual order)."""
    links = office.get("programme_phases", programme).attrs("tbody a.btn-small", "href")
    ids = [resolve(href).kwargs["phase"] for href in links]
    return dict(zip(PhaseKind.values, ids, strict=True))


def add_departments(office: Visitor, programme: int, vetters: tuple[User, User]) -> None:
    page = office.get("programme_department_add", programme)
    assert page.texts("fieldset.checks div.check label") == [
        f"vet_discipline — {office.name(vetters[0].person)}",
        f"vet_hr — {office.name(vetters[1].person)}",
    ]
    for order, (name, name_en, vetter) in enumerate(
        [("纪检监察", "Discipline inspection", vetters[0]), ("人力资源", "Human resources", vetters[1])]
    ):
        page = office.post(
            "programme_department_add",
            programme,
            data={"name": name, "name_en": name_en, "order": order, "members": [vetter.pk]},
        )
        assert page.messages == [office.t("Department added.")]
    assert page.texts("tbody span.badge") == [
        f"vet_discipline · {office.name(vetters[0].person)}",
        f"vet_hr · {office.name(vetters[1].person)}",
    ]


def apportion(office: Visitor, programme: int) -> None:
    page = office.post("quotas_apportion", programme, data={"depth": 1, "total": 4})
    assert page.messages == [
        office.t("Quotas apportioned: %(total)d nominations among %(units)d units.", total=4, units=2)
    ]
    rows = office.download("quotas_export", programme)
    # Headcount by subtree (active people only): A has eight, B has one; B keeps its floor of one.
    assert [row[:6] for row in rows[1:]][:2] == [
        ("A", office_name(office, "A"), 8, 3, 0, 3),
        ("B", office_name(office, "B"), 1, 1, 0, 1),
    ]


def office_name(visitor: Visitor, code: str) -> str:
    return visitor.name(OrgUnit.objects.get(code=code))
