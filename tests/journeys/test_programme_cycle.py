"""A programme from set-up to vetting, through the real pages only, in English and in Chinese.

Every step is an HTTP request a person's browser would send (sign-in included);
the database is written only to build the organisation and the accounts. The
office sets the programme up (categories, rubric, eligibility, a composition
rule, phases, vetting departments, quotas) and meets the set-up blockers; a
tertiary unit's coordinator nominates a person, a team and a third person who
fails an eligibility rule; the parent unit returns the team with a reason and
endorses the rest; the office is blocked while a nomination waits, screens
(confirms two, rejects one with a reason), and two departments vet (one
clears, one veto). The nominee reads their dossier in the portal, the office
exports the dossiers, and the audit chain holds every step.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from exemplar.core.domain.audit import verify_chain
from exemplar.core.models import AuditEntry
from exemplar.nominations.enums import NominationState, StepAction
from exemplar.people.enums import PersonStatus, Role, StaffCategory
from exemplar.people.models import Person, Team, User
from exemplar.programmes.enums import PhaseKind
from tests.conftest import Org
from tests.factories.people import PersonFactory, TeamFactory, add_member, grant, make_user
from tests.journeys.pages import Page, Visitor
from tests.journeys.programme_setup import office_name, set_up_programme

pytestmark = pytest.mark.journey

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"

# The catalogue's Chinese for what the journey shows most: checked on the pages of the Chinese run.
ZH = {
    NominationState.SUBMITTED: "待上级审核推荐",
    NominationState.RETURNED: "已退回修改",
    NominationState.RECEIVED: "评选办公室已接收",
    NominationState.CONFIRMED: "资格审查通过",
    NominationState.REJECTED: "资格审查未通过",
    NominationState.APPROVED: "部门审核通过",
    NominationState.VETOED: "已否决",
    PhaseKind.NOMINATION: "推荐与审核推荐",
    PhaseKind.SCREENING: "资格审查",
    PhaseKind.VETTING: "部门审核",
}


# --- the organisation and the accounts (fixture set-up: the only writes outside the pages) -------------


@dataclass
class Cast:
    org: Org
    wang: Person  # nominated alone; has an account for the portal
    zhao: Person  # nominated alone; too new to meet the service rule
    team: Team
    member: Person  # of the team; has an account for the portal
    vetters: tuple[User, User]


@pytest.fixture
def cast(org: Org, office_user: User, coordinator_a: User) -> Cast:
    coordinator = make_user("coord_a1", person=PersonFactory(unit=org.a1, name="周协调", name_en="Zhou Coordinator"))
    grant(coordinator, Role.UNIT_COORDINATOR, org.a1)
    today = timezone.localdate()
    wang = PersonFactory(
        unit=org.a1, staff_number="A1-0001", name="王伟", name_en="Wang Wei", hire_date=date(2008, 3, 1)
    )
    grant(make_user("wang", person=wang), Role.EMPLOYEE, org.a1)
    zhao = PersonFactory(
        unit=org.a1, staff_number="A1-0002", name="赵新", name_en="Zhao Xin", hire_date=today - timedelta(days=200)
    )
    team = TeamFactory(unit=org.a1, code="T-ENGINE", name="发动机总装团队", name_en="Engine assembly team")
    lead = PersonFactory(unit=org.a1, name="钱队长", name_en="Qian Lead", hire_date=date(2001, 5, 1))
    team.lead = lead
    team.save(update_fields=["lead"])
    add_member(team, lead, "lead")
    member = PersonFactory(unit=org.a1, name="孙成员", name_en="Sun Member", staff_category=StaffCategory.FRONT_LINE)
    add_member(team, member, "fitter")
    grant(make_user("sun", person=member), Role.EMPLOYEE, org.a1)
    for unit in (org.a2, org.a2, org.b1):
        PersonFactory(unit=unit)
    PersonFactory(unit=org.b1, status=PersonStatus.LEFT)
    vetters = []
    for username, name, name_en in (
        ("vet_discipline", "纪检审核人", "Discipline signatory"),
        ("vet_hr", "人事审核人", "HR signatory"),
    ):
        vetter = make_user(username, person=PersonFactory(unit=org.root, name=name, name_en=name_en))
        grant(vetter, Role.VETTING, org.root)
        vetters.append(vetter)
    return Cast(org=org, wang=wang, zhao=zhao, team=team, member=member, vetters=(vetters[0], vetters[1]))


# --- the journey, step by step ------------------------------------------------------------------------


@dataclass
class Dossiers:
    wang: int
    team: int
    zhao: int
    refs: dict[int, str]


def nominate(coordinator: Visitor, programme: int, cast: Cast) -> Dossiers:
    """The tertiary unit's coordinator drafts three nominations, attaches a PDF and submits them."""
    a1 = cast.org.a1
    page = coordinator.get("coordinator_home")
    assert (page.path, page.texts("h1")) == (
        reverse("backoffice:coordinator_dashboard", args=[programme]),
        [coordinator.t("My units' nominations")],
    )
    assert page.texts("ul.stat-row li") == [coordinator.t("No quota of its own: the units above limit what goes up.")]
    page = coordinator.get("nominate_choose", programme)  # one unit: straight to its form
    assert page.path == reverse("backoffice:nominate", args=[programme, a1.pk])
    found = coordinator.get("nominate", programme, a1.pk, query={"person_q": "A1-000"}).texts("label.choice")
    assert found == [f"{coordinator.name(p)} {p.staff_number} · {coordinator.name(a1)}" for p in (cast.wang, cast.zhao)]

    categories = dict(zip(["individual", "team"], page.attrs("select#id_category option", "value"), strict=True))
    drafts = {}
    for key, data in {
        "wang": {"category": categories["individual"], "person": cast.wang.pk, "title": "四十年如一日"},
        "team": {"category": categories["team"], "team": cast.team.pk, "title": "零缺陷总装"},
        "zhao": {"category": categories["individual"], "person": cast.zhao.pk, "title": "新秀"},
    }.items():
        page = coordinator.post(
            "nominate",
            programme,
            a1.pk,
            data={
                "deeds": "<p>Zero <strong>defects</strong><script>alert(1)</script></p>",
                "achievements": "A\nB",
                **data,
            },
        )
        drafts[key] = page.kwargs["nomination"]
        reference = page.texts("h1 span.code")[0]
        assert page.messages == [coordinator.t("Draft %(ref)s saved. Only your unit sees it.", ref=reference)]
        assert (page.texts("div.deeds"), page.statuses) == (
            ["Zero defects"],
            [coordinator.label(NominationState.DRAFT)],
        )
    refs = {pk: coordinator.get("nomination_edit", pk).texts("h1 span.code")[0] for pk in drafts.values()}

    for key in ("wang", "team"):
        upload = SimpleUploadedFile(f"citation-{key}.pdf", PDF, content_type="application/pdf")
        page = coordinator.post("attachment_add", drafts[key], data={"file": upload})
        assert (page.path, page.messages) == (
            reverse("backoffice:nomination_edit", args=[drafts[key]]),
            [coordinator.t("Attached %(name)s.", name=f"citation-{key}.pdf")],
        )
        assert page.texts("li.attachment-row a") == [f"citation-{key}.pdf"]
    # A disguised file is refused and nothing is attached.
    fake = SimpleUploadedFile("photo.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    page = coordinator.post("attachment_add", drafts["zhao"], data={"file": fake})
    assert (len(page.texts("li.message-error")), page.texts("li.attachment-row a")) == (1, [])

    for pk in drafts.values():
        page = coordinator.post("nomination_submit", pk)
        assert page.messages == [
            coordinator.t("Submitted: %(ref)s now waits for %(unit)s.", ref=refs[pk], unit=coordinator.name(cast.org.a))
        ]
    page = coordinator.get("coordinator_dashboard", programme)
    assert page.texts("section.card dl.facts dt") == [coordinator.label(NominationState.SUBMITTED)]
    return Dossiers(wang=drafts["wang"], team=drafts["team"], zhao=drafts["zhao"], refs=refs)


def endorse_and_return(parent: Visitor, programme: int, d: Dossiers, cast: Cast) -> str:
    """The parent unit's coordinator endorses two and returns the team with a reason."""
    page = parent.get("coordinator_dashboard", programme)
    assert page.texts("table td.code a")[:3] == [d.refs[d.wang], d.refs[d.team], d.refs[d.zhao]]
    assert page.texts("#awaiting-title span.badge") == ["3"]
    for pk in (d.wang, d.zhao):
        page = parent.post("nomination_endorse", pk)
        assert page.messages == [parent.t("Endorsed: %(ref)s has gone to the programme office.", ref=d.refs[pk])]
    reason = "请补充2025年度质量数据" if parent.language.startswith("zh") else "Add the 2025 quality figures"
    page = parent.post("nomination_return", d.team, data={"reason": ""})
    assert page.messages == [parent.t("Say why the nomination is returned: the nominating unit will read it.")]
    assert parent.get("nomination", d.team).statuses == [parent.label(NominationState.SUBMITTED)]
    page = parent.post("nomination_return", d.team, data={"reason": reason})
    assert page.messages == [
        parent.t("Returned %(ref)s to %(unit)s with your reason.", ref=d.refs[d.team], unit=parent.name(cast.org.a1))
    ]
    return reason


def resubmit(coordinator: Visitor, programme: int, d: Dossiers, reason: str, cast: Cast) -> None:
    """The nominating coordinator reads the reason, edits the dossier and sends it up again."""
    page = coordinator.get("coordinator_dashboard", programme)
    assert page.texts("p.reason") == [f"{coordinator.t('Reason')}: {reason}"]
    if coordinator.language.startswith("zh"):
        assert ZH[NominationState.RETURNED] in page.statuses
    page = coordinator.portal("notifications")
    assert page.texts("span.notification-message")[0] == coordinator.t(
        "Nomination %(ref)s was returned by %(unit)s: %(reason)s",
        ref=d.refs[d.team],
        unit=coordinator.name(cast.org.a),
        reason=reason,
    )
    page = coordinator.get("nomination_edit", d.team)
    assert (page.statuses, page.texts("div.message-warning")) == (
        [coordinator.label(NominationState.RETURNED)],
        [f"{coordinator.t('Returned with this reason')}: {reason}"],
    )
    page = coordinator.post(
        "nomination_edit",
        d.team,
        data={"title": "零缺陷总装", "deeds": "<p>2025: 0 defects in 1,200 assemblies.</p>", "achievements": "A\nB"},
    )
    assert (page.messages, page.texts("div.deeds")) == (
        [coordinator.t("Dossier saved.")],
        ["2025: 0 defects in 1,200 assemblies."],
    )
    page = coordinator.post("nomination_submit", d.team)
    assert page.messages == [
        coordinator.t(
            "Submitted: %(ref)s now waits for %(unit)s.", ref=d.refs[d.team], unit=coordinator.name(cast.org.a)
        )
    ]


def advance(office: Visitor, programme: int, from_kind: str, to_kind: str, blockers: list[str]) -> Page:
    """Ask to move on: refused with ``blockers`` listed, or moved when there are none."""
    shown = office.get("programme_advance", programme).texts("ul.blockers li")
    page = office.post("programme_advance", programme, data={"from_kind": from_kind})
    to = office.label(PhaseKind(to_kind))
    if blockers:
        n = len(blockers)
        refused = office.nt(
            "The programme cannot move on to “%(phase)s” yet: %(n)d thing stands in the way.",
            "The programme cannot move on to “%(phase)s” yet: %(n)d things stand in the way.",
            n,
            phase=to,
            n=n,
        )
        assert (shown, page.messages, page.texts("ul.blockers li")) == (blockers, [refused], blockers)
        assert office.get("programme", programme).texts("ol.phase-timeline li.stage-current span.phase-name") == [
            office.label(PhaseKind(from_kind))
        ]
    else:
        assert (shown, page.messages) == ([], [office.t("The programme has moved on to “%(phase)s”.", phase=to)])
        assert page.texts("ol.phase-timeline li.stage-current span.phase-name") == [to]
    return page


def screen(office: Visitor, coordinator: Visitor, programme: int, d: Dossiers) -> str:
    """The office sees the three dossiers, confirms two, is blocked by the third, rejects it with a reason."""
    page = office.get("office_dashboard", programme)
    assert page.texts("table td.code a") == [d.refs[d.zhao], d.refs[d.team], d.refs[d.wang]]
    assert page.texts("ul.stat-row span.stat-label") == [
        office.t("all dossiers"),
        office.label(NominationState.RECEIVED),
    ]
    if office.language.startswith("zh"):
        assert page.texts("ul.stat-row span.stat-label")[1] == ZH[NominationState.RECEIVED]
    page = office.get("office_dashboard", programme, query={"eligibility": "blocking"})
    assert page.texts("table td.code a") == [d.refs[d.zhao]]
    zhao = office.get("nomination", d.zhao)
    assert zhao.texts("ul.findings li li") == [
        f"{office.t('fails a rule')} {office.t('%(years)d years of service; %(required)d are required.', years=0, required=3)}"
    ]
    # Confirming despite a failed rule needs a note; without one nothing changes.
    page = office.post("nomination_confirm", d.zhao, data={"confirm-note": ""})
    assert (page.messages, page.statuses[0]) == (
        [office.t("This nomination has eligibility findings or possible duplicates: say why you confirm it anyway.")],
        office.label(NominationState.RECEIVED),
    )
    for pk in (d.wang, d.team):
        page = office.post("nomination_confirm", pk, data={"confirm-note": ""})
        assert (page.messages, page.statuses[0]) == (
            [office.t("Nomination %(ref)s confirmed: it goes on to vetting.", ref=d.refs[pk])],
            office.label(NominationState.CONFIRMED),
        )
    not_screened = office.nt(
        "%(count)d received nomination has not been screened.",
        "%(count)d received nominations have not been screened.",
        1,
        count=1,
    )
    advance(office, programme, PhaseKind.SCREENING, PhaseKind.VETTING, [not_screened])
    reason = "入职未满三年" if office.language.startswith("zh") else "Less than three years of service"
    page = office.post("nomination_reject", d.zhao, data={"reject-reason": reason})
    assert (page.messages, page.statuses[0], page.texts("div.message-warning")) == (
        [office.t("Nomination %(ref)s rejected; the nominating unit has been told why.", ref=d.refs[d.zhao])],
        office.label(NominationState.REJECTED),
        [f"{office.t('Reason given')}: {reason}"],
    )
    # The nominating unit reads the reason on its dossier and in its notifications.
    page = coordinator.get("nomination", d.zhao)
    assert (page.statuses[0], page.texts("div.message-warning")) == (
        coordinator.label(NominationState.REJECTED),
        [f"{coordinator.t('Reason given')}: {reason}"],
    )
    return reason


def vet(office: Visitor, vetters: tuple[Visitor, Visitor], programme: int, d: Dossiers) -> str:
    """Both departments must sign: the matrix shows what is missing; one veto removes the team."""
    discipline, hr = vetters
    page = office.get("vetting_matrix", programme)
    assert page.texts("ul.stat-row span.stat-value") == ["2", "2"]
    assert page.texts("table.vetting-matrix td.code a") == [d.refs[d.wang], d.refs[d.team]]
    assert page.texts("span.verdict-missing") == [office.t("missing")] * 4

    worklist = discipline.get("vetting_worklist", programme)
    dept_discipline = int(next(v for v in worklist.attrs("form.inline-form input", "value") if v.isdigit()))
    assert worklist.texts("#pending-title span.badge") == ["2"]
    page = discipline.post(
        "nomination_vet", d.wang, data={"department": dept_discipline, "verdict": "approved", "reason": ""}
    )
    assert page.messages == [
        discipline.t("%(ref)s approved for %(department)s.", ref=d.refs[d.wang], department=discipline_name(discipline))
    ]
    page = discipline.post(
        "nomination_vet", d.team, data={"department": dept_discipline, "verdict": "vetoed", "reason": ""}
    )
    assert page.messages == [discipline.t("Say why the candidate is vetoed: the reason is recorded.")]
    reason = "存在未结案的质量问题" if discipline.language.startswith("zh") else "An open quality case"
    page = discipline.post(
        "nomination_vet", d.team, data={"department": dept_discipline, "verdict": "vetoed", "reason": reason}
    )
    assert page.messages == [
        discipline.t("%(ref)s vetoed for %(department)s.", ref=d.refs[d.team], department=discipline_name(discipline))
    ]
    # The HR signatory cannot sign for discipline inspection.
    page = hr.post("nomination_vet", d.wang, data={"department": dept_discipline, "verdict": "approved", "reason": ""})
    assert page.messages == [
        hr.t("Only the signatories of %(department)s can record its decision.", department=discipline_name(hr))
    ]

    page = office.get("vetting_matrix", programme)
    assert page.texts("ul.stat-row span.stat-value") == ["0", "1"]  # the wang dossier still waits for HR
    assert page.texts("span.verdict-missing") == [office.t("missing")]
    assert page.texts("table.vetting-matrix p.reason") == [reason]
    assert office.get("vetting_matrix", programme, query={"missing": "1"}).texts("table.vetting-matrix td.code a") == [
        d.refs[d.wang]
    ]

    worklist = hr.get("vetting_worklist", programme)
    dept_hr = int(next(v for v in worklist.attrs("form.inline-form input", "value") if v.isdigit()))
    assert worklist.texts("table td.code a")[:1] == [d.refs[d.wang]]
    hr.post("nomination_vet", d.wang, data={"department": dept_hr, "verdict": "approved", "reason": ""})
    page = office.get("vetting_matrix", programme)
    assert [s for s in page.statuses if s] == [
        office.label(NominationState.APPROVED),
        office.t("Approved"),
        office.t("Approved"),
        office.label(NominationState.VETOED),
        office.t("Vetoed"),
    ]
    if office.language.startswith("zh"):
        assert [page.statuses[0], page.statuses[3]] == [ZH[NominationState.APPROVED], ZH[NominationState.VETOED]]
    assert (page.texts("ul.stat-row span.stat-value"), page.texts("span.verdict-missing")) == (["0", "0"], [])
    return reason


def discipline_name(visitor: Visitor) -> str:
    return "纪检监察" if visitor.language.startswith("zh") else "Discipline inspection"


def export_lists_the_dossiers(office: Visitor, programme: int, d: Dossiers, cast: Cast, veto_reason: str) -> None:
    rows = office.download("office_export", programme)
    assert rows[0][:6] == tuple(
        office.t(h) for h in ("Reference", "Nominee", "Category", "Nominating unit", "Secondary unit", "State")
    )
    unit, branch = office_name(office, "A1"), office_name(office, "A")
    by_ref = sorted(
        [
            (d.refs[d.wang], office.name(cast.wang), NominationState.APPROVED),
            (d.refs[d.zhao], office.name(cast.zhao), NominationState.REJECTED),
            (d.refs[d.team], office.name(cast.team), NominationState.VETOED),
        ]
    )
    assert [(r[0], r[1], r[3], r[4], r[5]) for r in rows[1:]] == [
        (ref, name, unit, branch, office.label(state)) for ref, name, state in by_ref
    ]
    vetting = {r[0]: r[9] for r in rows[1:]}
    assert vetting == {
        d.refs[d.wang]: office.t("Approved by %(n)d of %(total)d departments", n=2, total=2),
        d.refs[d.team]: office.t(
            "Vetoed by %(department)s: %(reason)s", department=discipline_name(office), reason=veto_reason
        ),
        d.refs[d.zhao]: None,
    }
    # The quotas: all three endorsements counted against unit A, and none was given back.
    quotas = office.download("quotas_export", programme)
    assert [row[3:6] for row in quotas[1:3]] == [(3, 3, 0), (1, 0, 1)]


def nominees_read_their_dossiers(language: str, d: Dossiers, cast: Cast, reasons: list[str]) -> None:
    """The nominee reads the dossier in the portal, read-only, without anyone's reasons or notes."""
    wang = Visitor("wang", language)
    page = wang.portal("dossiers")
    assert (page.texts("main table td a"), page.attrs("main table td a", "href"), page.statuses) == (
        [wang.name(cast.wang)],
        [reverse("portal:dossier", args=[d.wang])],
        [wang.label(NominationState.APPROVED)],
    )
    page = wang.portal("dossier", d.wang)
    assert (page.texts("h1"), page.statuses, page.texts("main form")) == (
        [f"{wang.name(cast.wang)} {d.refs[d.wang]}"],
        [wang.label(NominationState.APPROVED)],
        [],  # read-only: nothing to submit
    )
    # The office's and the departments' steps say who took them (they belong to no unit).
    assert [text.split(" ", 1)[1] for text in page.texts("ol.timeline li")[-2:]] == [
        f"{wang.t('Programme office')} — {wang.label(StepAction.CONFIRMED)}",
        f"{wang.t('Vetting')} — {wang.label(StepAction.APPROVED)}",
    ]
    assert page.texts("section.card ul.plain-list a") == ["citation-wang.pdf"]
    attachment = page.attrs("section.card ul.plain-list a", "href")[0]
    download = wang.client.get(attachment)
    body = b"".join(download.streaming_content) if download.streaming else download.content
    assert (download.status_code, body) == (200, PDF)
    # The backoffice pages of the same dossier stay closed to the nominee.
    assert wang.client.get(reverse("backoffice:nomination_edit", args=[d.wang])).status_code == 403
    assert wang.client.get(reverse("portal:dossier", args=[d.team])).status_code == 403

    member = Visitor("sun", language)
    page = member.portal("dossier", d.team)
    assert page.statuses == [member.label(NominationState.VETOED)]
    assert [reason for reason in reasons if reason in page.html] == []  # nobody's reasons reach the portal


EXPECTED_ACTIONS = {
    "exemplar.programmes.created": 1,
    "exemplar.programmes.category_added": 2,
    "exemplar.programmes.criterion_added": 2,
    "exemplar.programmes.rule_added": 1,
    "exemplar.programmes.phase_updated": 3,
    "exemplar.programmes.phase_deleted": 1,
    "exemplar.programmes.department_added": 2,
    "exemplar.programmes.quotas_apportioned": 1,
    "exemplar.programmes.phase_advanced": 3,
    "exemplar.nominations.created": 3,
    "exemplar.nominations.attachment_added": 2,
    "exemplar.nominations.submitted": 4,
    "exemplar.nominations.endorsed": 3,
    "exemplar.nominations.returned": 1,
    "exemplar.nominations.updated": 1,
    "exemplar.nominations.confirmed": 2,
    "exemplar.nominations.rejected": 1,
    "exemplar.nominations.vetting_approved": 2,
    "exemplar.nominations.vetoed": 1,
    "exemplar.nominations.cleared": 1,
}


def audit_holds_every_step(office: Visitor) -> None:
    report = verify_chain()
    actions = Counter(AuditEntry.objects.values_list("action", flat=True))
    journey = {a: n for a, n in actions.items() if a.startswith(("exemplar.programmes.", "exemplar.nominations."))}
    assert (report.ok, journey) == (True, EXPECTED_ACTIONS)
    advanced = AuditEntry.objects.filter(action="exemplar.programmes.phase_advanced").order_by("seq")
    assert [(e.data["from"], e.data["to"]) for e in advanced] == [
        ("setup", "nomination"),
        ("nomination", "screening"),
        ("screening", "vetting"),
    ]
    # And the office's own check of the chain says the same.
    page = office.post("audit_verify")
    assert page.messages == [office.t("Audit chain intact: %(n)d entries checked.", n=report.checked)]


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_programme_from_set_up_to_vetting(
    cast: Cast, office_user: User, coordinator_a: User, media: None, language: str
) -> None:
    office = Visitor("office", language)
    if language == "zh-hans":
        assert {key: office.label(key) for key in ZH} == ZH
        assert 'lang="zh-Hans"' in office.get("programmes").html
    programme = set_up_programme(office, cast.vetters)

    coordinator = Visitor("coord_a1", language)
    dossiers = nominate(coordinator, programme, cast)
    parent = Visitor("coord_a", language)
    return_reason = endorse_and_return(parent, programme, dossiers, cast)
    resubmit(coordinator, programme, dossiers, return_reason, cast)

    # The team waits at unit A again: the office cannot close nominating yet, and without it the
    # team category lacks the one candidate per seat the nomination phase asks for.
    waiting = office.nt(
        "%(count)d nomination still waits for a unit's endorsement.",
        "%(count)d nominations still wait for a unit's endorsement.",
        1,
        count=1,
    )
    too_few = office.t(
        "%(category)s has %(candidates)d candidates for %(seats)d seats; "
        "this phase needs at least %(needed)d before it ends.",
        category="榜样团队" if language.startswith("zh") else "Role-model team",
        candidates=0,
        seats=1,
        needed=1,
    )
    advance(office, programme, PhaseKind.NOMINATION, PhaseKind.SCREENING, [waiting, too_few])
    page = parent.post("nomination_endorse", dossiers.team)
    assert page.messages == [
        parent.t("Endorsed: %(ref)s has gone to the programme office.", ref=dossiers.refs[dossiers.team])
    ]
    advance(office, programme, PhaseKind.NOMINATION, PhaseKind.SCREENING, [])
    # Nominating has closed: the coordinator's dashboard says so and offers no new nomination.
    page = coordinator.get("coordinator_dashboard", programme)
    assert (page.texts("div.message-warning"), page.attrs("a.btn-primary", "href")) == (
        [coordinator.t("The programme's current phase allows neither nominating nor endorsing.")],
        [],
    )

    rejection = screen(office, coordinator, programme, dossiers)
    advance(office, programme, PhaseKind.SCREENING, PhaseKind.VETTING, [])
    vetters = (Visitor("vet_discipline", language), Visitor("vet_hr", language))
    veto = vet(office, vetters, programme, dossiers)

    export_lists_the_dossiers(office, programme, dossiers, cast, veto)
    nominees_read_their_dossiers(language, dossiers, cast, [return_reason, rejection, veto])
    audit_holds_every_step(office)
