"""Screening: checks on submission and on demand, duplicates, the office's confirmation or rejection."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exemplar.commendations.models import Honour
from exemplar.core.domain.audit import verify_chain
from exemplar.core.errors import DomainError
from exemplar.core.models import AuditEntry, Notification
from exemplar.nominations.domain.nominations import create_nomination, submit_nomination
from exemplar.nominations.domain.queries import findings_visible_to, nominations_to_screen, office_programmes
from exemplar.nominations.domain.screening import check_programme, confirm_nomination, reject_nomination
from exemplar.nominations.enums import NominationState
from exemplar.nominations.models import Nomination
from exemplar.people.enums import PersonStatus, Role
from exemplar.people.models import User
from exemplar.programmes.enums import PhaseKind
from exemplar.programmes.models import Programme, UnitQuota
from tests.factories.people import PersonFactory, TeamFactory, add_member, grant, make_user
from tests.factories.programmes import make_programme, set_phase
from tests.factories.screening import dossier, received

pytestmark = pytest.mark.integration

AT = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
USER_FIXTURES = ["office_user", "auditor_user", "coordinator_a", "reviewer_user", "employee_user"]


@pytest.fixture
def programme(office_user) -> Programme:
    programme = make_programme(office_user)
    programme.categories.filter(code="individual").update(
        min_service_years=5, disciplinary_window_years=3, honour_window_years=3
    )
    programme.categories.filter(code="team").update(honour_window_years=3, min_service_years=5)
    return programme


@pytest.fixture
def coordinator_b(org) -> User:
    user = make_user("coord_b", person=PersonFactory(unit=org.b))
    grant(user, Role.UNIT_COORDINATOR, org.b)
    return user


def _stored(nomination: Nomination) -> tuple[list, list]:
    nomination.refresh_from_db()
    return nomination.eligibility, nomination.duplicates


def test_checks_run_on_submission(org, programme, coordinator_a):
    newcomer = PersonFactory(unit=org.a1, hire_date=date(2024, 1, 1), disciplinary_date=date(2025, 5, 1))
    nomination = create_nomination(
        programme=programme,
        category=programme.categories.get(code="individual"),
        unit=org.a,
        person=newcomer,
        title="t",
        deeds="d",
        actor=coordinator_a,
    )
    assert (nomination.eligibility, nomination.checked_at) == ([], None)  # drafts are not checked

    submit_nomination(nomination, actor=coordinator_a, at=AT)
    nomination.refresh_from_db()
    assert nomination.state == NominationState.RECEIVED
    assert nomination.checked_at == AT
    assert nomination.eligibility == [
        {"code": "service_too_short", "severity": "blocker", "params": {"years": 2, "required": 5}},
        {"code": "disciplinary_record", "severity": "blocker", "params": {"date": "2025-05-01", "window": 3}},
    ]
    assert nomination.duplicates == []


def test_duplicates_flag_both_sides_including_a_person_inside_a_team(org, programme, coordinator_a, coordinator_b):
    person = PersonFactory(unit=org.a1, hire_date=date(2000, 1, 1), name="王伟", name_en="Wang Wei")
    team = TeamFactory(unit=org.a2, name="总装团队", name_en="Assembly team")
    add_member(team, person)
    add_member(team, PersonFactory(unit=org.a2, hire_date=date(2000, 1, 1)))
    first = received(programme, coordinator_a, org.a, person=person)
    assert _stored(first) == ([], [])

    in_team = received(programme, coordinator_a, org.a, team=team)
    assert _stored(in_team)[1] == [
        {
            "code": "member_nominated_alone",
            "other": first.pk,
            "reference": first.reference,
            "name": "王伟",
            "name_en": "Wang Wei",
        }
    ]
    assert _stored(first)[1] == [
        {
            "code": "person_in_team",
            "other": in_team.pk,
            "reference": in_team.reference,
            "name": "总装团队",
            "name_en": "Assembly team",
        }
    ]

    # The same person again, from another branch (a person can be nominated wherever the unit's subtree reaches).
    person.unit = org.b1
    person.save(update_fields=["unit"])
    again = received(programme, coordinator_b, org.b, person=person)
    assert [d["code"] for d in _stored(again)[1]] == ["same_person", "person_in_team"]
    assert [(d["code"], d["other"]) for d in _stored(first)[1]] == [
        ("person_in_team", in_team.pk),
        ("same_person", again.pk),
    ]
    assert [(d["code"], d["other"]) for d in _stored(in_team)[1]] == [
        ("member_nominated_alone", first.pk),
        ("member_nominated_alone", again.pk),
    ]


def test_check_programme_finds_everything_in_bulk(org, programme, office_user, coordinator_a):
    old_hand = PersonFactory(unit=org.a1, hire_date=date(1999, 1, 1))
    honoured = PersonFactory(unit=org.a1, hire_date=date(1999, 1, 1))
    retired = PersonFactory(unit=org.a1, hire_date=date(1999, 1, 1), status=PersonStatus.RETIRED)
    team = TeamFactory(unit=org.a2)
    add_member(team, retired)
    Honour.objects.create(
        category_code="individual", title="t", year=2024, person=honoured, conferred_on=date(2024, 5, 1)
    )
    Honour.objects.create(
        category_code="individual",
        title="t",
        year=2025,
        person=old_hand,
        conferred_on=date(2025, 5, 1),
        revoked_on=date(2025, 9, 1),
    )
    Honour.objects.create(category_code="team", title="t", year=2023, team=team, conferred_on=date(2023, 5, 1))
    rows = {
        "clean": dossier(programme, org.a, person=old_hand, created_by=coordinator_a),
        "honoured": dossier(programme, org.a, person=honoured, created_by=coordinator_a),
        "team": dossier(programme, org.a, team=team, created_by=coordinator_a),
        "retired": dossier(programme, org.a, person=retired, created_by=coordinator_a),
        "draft": dossier(programme, org.a, person=retired, state=NominationState.DRAFT, created_by=coordinator_a),
    }
    counts = check_programme(programme, actor=office_user, at=AT)

    assert counts == {"checked": 4, "changed": 3, "with_blockers": 3, "with_duplicates": 2}
    assert _stored(rows["clean"]) == ([], [])
    assert _stored(rows["honoured"])[0] == [
        {"code": "honoured_recently", "severity": "blocker", "params": {"year": 2024, "window": 3}}
    ]
    team_findings, team_duplicates = _stored(rows["team"])
    assert [(f["code"], f["severity"]) for f in team_findings] == [
        ("honoured_recently", "blocker"),
        ("not_active", "warning"),
    ]
    assert team_findings[1]["params"]["member_id"] == retired.pk
    assert [d["code"] for d in team_duplicates] == ["member_nominated_alone"]
    assert _stored(rows["retired"]) == (
        [{"code": "not_active", "severity": "blocker", "params": {"status": "retired"}}],
        [
            {
                "code": "person_in_team",
                "other": rows["team"].pk,
                "reference": rows["team"].reference,
                "name": team.name,
                "name_en": team.name_en,
            }
        ],
    )
    assert _stored(rows["draft"]) == ([], [])  # a unit's private draft is neither checked nor matched
    assert set(Nomination.objects.exclude(state="draft").values_list("checked_at", flat=True)) == {AT}
    entry = AuditEntry.objects.get(action="exemplar.nominations.checks_run")
    assert (entry.object_id, entry.data) == (str(programme.pk), counts)


def test_check_programme_costs_the_same_queries_at_any_size(org, office_user, coordinator_a):
    def queries_for(n: int, year: int) -> int:
        programme = make_programme(office_user, year=year)
        for _ in range(n):
            team = TeamFactory(unit=org.a2)
            add_member(team, PersonFactory(unit=org.a2))
            dossier(programme, org.a, team=team, created_by=coordinator_a)
            dossier(programme, org.a, created_by=coordinator_a)
        actor = User.objects.get(pk=office_user.pk)  # as a request loads it: grants not read yet
        with CaptureQueriesContext(connection) as ctx:
            check_programme(programme, actor=actor, at=AT)
        return len(ctx.captured_queries)

    queries_for(0, 2020)  # the audit chain's head row is created on first use
    assert queries_for(1, 2021) == queries_for(6, 2022)


def test_office_confirms_and_the_unit_is_told(org, programme, office_user, coordinator_a):
    nomination = received(
        programme, coordinator_a, org.a, person=PersonFactory(unit=org.a1, hire_date=date(2000, 1, 1))
    )
    set_phase(programme, PhaseKind.SCREENING)
    confirm_nomination(nomination, actor=office_user)
    nomination.refresh_from_db()
    assert (nomination.state, nomination.decision_reason) == (NominationState.CONFIRMED, "")
    assert list(nomination.steps.values_list("action", flat=True)) == ["created", "submitted", "forwarded", "confirmed"]
    assert list(Notification.objects.filter(user=coordinator_a).values_list("message", flat=True))[-1] == (
        f"Nomination {nomination.reference} was confirmed by the programme office."
    )
    assert AuditEntry.objects.filter(action="exemplar.nominations.confirmed", object_id=str(nomination.pk)).count() == 1
    assert verify_chain().ok


def test_confirming_despite_findings_needs_a_note(org, programme, office_user, coordinator_a):
    nomination = received(programme, coordinator_a, org.a, person=PersonFactory(unit=org.a1, hire_date=None))
    set_phase(programme, PhaseKind.SCREENING)
    with pytest.raises(DomainError, match="say why you confirm it anyway"):
        confirm_nomination(nomination, note="  ", actor=office_user)
    assert Nomination.objects.get(pk=nomination.pk).state == NominationState.RECEIVED
    confirm_nomination(nomination, note="Hire date confirmed by HR: 2001", actor=office_user)
    nomination.refresh_from_db()
    assert (nomination.state, nomination.decision_reason) == (
        NominationState.CONFIRMED,
        "Hire date confirmed by HR: 2001",
    )
    entry = AuditEntry.objects.get(action="exemplar.nominations.confirmed")
    assert entry.data == {"note": "Hire date confirmed by HR: 2001", "findings": ["service_unknown"], "duplicates": []}


def test_rejection_needs_a_reason_tells_the_unit_and_keeps_the_quota(org, programme, office_user, coordinator_a):
    UnitQuota.objects.create(programme=programme, unit=org.a, allocated=3)
    person = PersonFactory(unit=org.a1, hire_date=date(2000, 1, 1))
    nomination = received(programme, coordinator_a, org.a, person=person)
    twin = dossier(programme, org.a, person=person, created_by=coordinator_a)
    check_programme(programme, actor=office_user)
    assert [d["other"] for d in _stored(twin)[1]] == [nomination.pk]
    set_phase(programme, PhaseKind.SCREENING)

    with pytest.raises(DomainError, match="Say why"):
        reject_nomination(nomination, reason=" ", actor=office_user)
    reject_nomination(nomination, reason="Honoured by the ministry last year", actor=office_user)

    nomination.refresh_from_db()
    assert (nomination.state, nomination.decision_reason) == (
        NominationState.REJECTED,
        "Honoured by the ministry last year",
    )
    assert UnitQuota.objects.get(unit=org.a).used == 1  # screening does not refund the unit's quota
    assert _stored(twin)[1] == []  # the rejected one no longer counts as a duplicate
    assert list(Notification.objects.filter(user=coordinator_a).values_list("message", flat=True))[-1] == (
        f"Nomination {nomination.reference} was rejected by the programme office: Honoured by the ministry last year"
    )


def test_refusals_change_nothing(org, programme, office_user, coordinator_a, auditor_user):
    nomination = received(
        programme, coordinator_a, org.a, person=PersonFactory(unit=org.a1, hire_date=date(2000, 1, 1))
    )
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError, match="does not allow"):  # still the nomination phase
        confirm_nomination(nomination, actor=office_user)
    set_phase(programme, PhaseKind.SCREENING)
    for actor in (coordinator_a, auditor_user):
        with pytest.raises(DomainError, match="programme office"):
            confirm_nomination(nomination, actor=actor)
        with pytest.raises(DomainError, match="programme office"):
            reject_nomination(nomination, reason="no", actor=actor)
        with pytest.raises(DomainError, match="programme office"):
            check_programme(programme, actor=actor)
    confirm_nomination(nomination, actor=office_user)
    with pytest.raises(DomainError, match="not waiting for screening"):
        reject_nomination(nomination, reason="changed our mind", actor=office_user)
    nomination.refresh_from_db()
    assert (nomination.state, nomination.decision_reason) == (NominationState.CONFIRMED, "")
    assert AuditEntry.objects.count() == before + 1


# --- predicates and selectors agree -----------------------------------------------------------------


@pytest.fixture
def spread(org, programme, coordinator_a, coordinator_b, office_user):
    """Nominations in every state in both branches, so that a wrong scope would show."""
    made = []
    for unit in (org.a, org.a1, org.b, org.b1):
        for state in NominationState.values:
            made.append(dossier(programme, unit, state=state, created_by=office_user))
    return made


def _fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("user_fixture", USER_FIXTURES)
@pytest.mark.parametrize("phase", [PhaseKind.NOMINATION, PhaseKind.SCREENING])
def test_screen_predicate_agrees_with_selector(request, programme, spread, user_fixture, phase):
    set_phase(programme, phase)
    programme = Programme.objects.select_related("current_phase").get(pk=programme.pk)
    user = _fresh(request.getfixturevalue(user_fixture))
    everything = list(
        Nomination.objects.filter(programme=programme).select_related("programme__current_phase", "unit").order_by("pk")
    )
    assert [n for n in everything if user.has_perm("nominations.screen_nomination", n)] == list(
        nominations_to_screen(user, programme).order_by("pk")
    )


@pytest.mark.parametrize("user_fixture", [*USER_FIXTURES, "coordinator_b"])
def test_findings_predicate_agrees_with_selector(request, programme, spread, user_fixture):
    user = _fresh(request.getfixturevalue(user_fixture))
    everything = list(Nomination.objects.filter(programme=programme).select_related("unit").order_by("pk"))
    visible = [n for n in everything if user.has_perm("nominations.view_findings", n)]
    assert visible == list(findings_visible_to(user, programme).order_by("pk"))
    if user_fixture == "coordinator_a":
        assert {n.unit.code for n in visible} == {"A", "A1"}


@pytest.mark.parametrize("user_fixture", USER_FIXTURES)
def test_dashboard_predicate_agrees_with_selector(request, programme, office_user, user_fixture):
    other = make_programme(office_user, year=2025)
    user = _fresh(request.getfixturevalue(user_fixture))
    everything = list(Programme.objects.order_by("-year", "name"))
    assert [p for p in everything if user.has_perm("nominations.view_office_dashboard", p)] == list(
        office_programmes(user)
    )
    assert (user_fixture in {"office_user", "auditor_user"}) == (list(office_programmes(user)) == [programme, other])
