"""Moving a programme between phases: blockers first, refusal changes nothing, every move audited."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from exemplar.core.domain.audit import verify_chain
from exemplar.core.errors import DomainError
from exemplar.core.models import AuditEntry
from exemplar.nominations.domain.nominations import create_nomination, submit_nomination
from exemplar.nominations.enums import NominationState
from exemplar.nominations.models import Nomination, VettingDecision
from exemplar.people.enums import Role
from exemplar.programmes.domain.facts import collect_counts, registered_providers
from exemplar.programmes.domain.lifecycle import Blocker
from exemplar.programmes.domain.programmes import (
    PhaseBlocked,
    add_phase,
    advance_programme,
    delete_phase,
    describe_blocker,
    step_back_programme,
    update_phase,
)
from exemplar.programmes.domain.queries import next_move
from exemplar.programmes.enums import PhaseKind
from exemplar.programmes.models import Programme
from tests.factories.people import PersonFactory, grant, make_user
from tests.factories.programmes import make_programme, set_phase

pytestmark = pytest.mark.integration

AT = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def programme(office_user):
    return make_programme(office_user, phase=PhaseKind.NOMINATION)


@pytest.fixture
def coordinator_a1(org):
    user = make_user("coord_a1", person=PersonFactory(unit=org.a1))
    grant(user, Role.UNIT_COORDINATOR, org.a1)
    return user


@pytest.fixture
def signatories(org, programme):
    vetter = make_user("vetter", person=PersonFactory(unit=org.root))
    grant(vetter, Role.VETTING, org.root)
    for department in programme.vetting_departments.all():
        department.members.add(vetter)
    return vetter


def _nominate(programme, unit, actor, *, code="individual"):
    return create_nomination(
        programme=programme,
        category=programme.categories.get(code=code),
        unit=unit,
        person=PersonFactory(unit=unit),
        title="Forty years at the lathe",
        deeds="<p>Zero defects.</p>",
        actor=actor,
    )


def _state(programme):
    programme.refresh_from_db()
    return programme.current_phase.kind, AuditEntry.objects.count()


def test_the_nominations_app_registers_its_counts():
    assert "nominations" in registered_providers()


def test_advance_refuses_while_drafts_and_waiting_nominations_remain_and_changes_nothing(
    org, programme, office_user, coordinator_a, coordinator_a1
):
    _nominate(programme, org.a, coordinator_a)  # a draft at A
    submit_nomination(_nominate(programme, org.a1, coordinator_a1), actor=coordinator_a1)  # waits at A
    before = _state(programme)

    with pytest.raises(PhaseBlocked) as refused:
        advance_programme(programme, actor=office_user, at=AT)

    assert refused.value.blockers == [
        Blocker("nominations.open_drafts", (("count", 1),)),
        Blocker("nominations.waiting_at_units", (("count", 1),)),
    ]
    assert [describe_blocker(b) for b in refused.value.blockers] == [
        "1 nomination is still a draft or returned to its unit.",
        "1 nomination still waits for a unit's endorsement.",
    ]
    assert _state(programme) == before
    assert programme.phases.get(kind=PhaseKind.SCREENING).entered_at is None


def test_advance_moves_on_and_is_audited_when_nothing_blocks(org, programme, office_user, coordinator_a):
    submit_nomination(_nominate(programme, org.a, coordinator_a), actor=coordinator_a)  # received by the office

    phase = advance_programme(programme, actor=office_user, at=AT, from_kind=PhaseKind.NOMINATION)

    programme.refresh_from_db()
    assert (phase.kind, programme.current_phase, phase.entered_at) == (PhaseKind.SCREENING, phase, AT)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.object_id, entry.data, entry.actor_id) == (
        "exemplar.programmes.phase_advanced",
        str(programme.pk),
        {"from": "nomination", "to": "screening"},
        office_user.pk,
    )
    assert verify_chain().ok


def test_leaving_screening_needs_every_received_nomination_screened(
    org, programme, office_user, coordinator_a, signatories
):
    nomination = _nominate(programme, org.a, coordinator_a)
    submit_nomination(nomination, actor=coordinator_a)
    set_phase(programme, PhaseKind.SCREENING)

    with pytest.raises(PhaseBlocked) as refused:
        advance_programme(programme, actor=office_user)
    assert refused.value.blockers == [Blocker("nominations.not_screened", (("count", 1),))]

    Nomination.objects.filter(pk=nomination.pk).update(state=NominationState.CONFIRMED)
    assert advance_programme(programme, actor=office_user).kind == PhaseKind.VETTING


def test_leaving_vetting_needs_every_department_to_have_signed_off(org, programme, office_user, coordinator_a):
    nomination = _nominate(programme, org.a, coordinator_a)
    submit_nomination(nomination, actor=coordinator_a)
    Nomination.objects.filter(pk=nomination.pk).update(state=NominationState.CONFIRMED)
    set_phase(programme, PhaseKind.VETTING)
    departments = list(programme.vetting_departments.all())
    for department in departments[:2]:
        VettingDecision.objects.create(
            nomination=nomination, department=department, verdict="approved", decided_by=office_user, decided_at=AT
        )

    with pytest.raises(PhaseBlocked) as refused:
        advance_programme(programme, actor=office_user)
    assert refused.value.blockers == [Blocker("nominations.not_vetted", (("count", 1),))]

    VettingDecision.objects.create(
        nomination=nomination, department=departments[2], verdict="approved", decided_by=office_user, decided_at=AT
    )
    assert advance_programme(programme, actor=office_user).kind == PhaseKind.REVIEW


def test_too_few_candidates_per_seat_block_leaving_the_phase(org, programme, office_user, coordinator_a):
    phase = programme.phases.get(kind=PhaseKind.NOMINATION)
    update_phase(
        phase,
        starts_at=None,
        ends_at=None,
        min_candidates_per_seat=Decimal("1.5"),
        capabilities={"can_nominate", "can_endorse"},
        actor=office_user,
    )
    for _ in range(2):
        submit_nomination(_nominate(programme, org.a, coordinator_a), actor=coordinator_a)

    with pytest.raises(PhaseBlocked) as refused:
        advance_programme(programme, actor=office_user)

    # Individual: 2 seats need 3 candidates, 2 are in; team: 8 seats need 12, none.
    assert [describe_blocker(b) for b in refused.value.blockers] == [
        "Role model has 2 candidates for 2 seats; this phase needs at least 3 before it ends.",
        "Role-model team has 0 candidates for 8 seats; this phase needs at least 12 before it ends.",
    ]
    assert collect_counts(programme)["candidates.individual"] == 2


def test_entering_vetting_needs_signatories(programme, office_user):
    set_phase(programme, PhaseKind.SCREENING)
    with pytest.raises(PhaseBlocked) as refused:
        advance_programme(programme, actor=office_user)
    assert [b.code for b in refused.value.blockers] == ["setup.department_without_signatories"] * 3


def test_a_stale_request_does_not_skip_a_phase(programme, office_user):
    advance_programme(programme, actor=office_user, from_kind=PhaseKind.NOMINATION)
    with pytest.raises(DomainError) as refused:
        advance_programme(programme, actor=office_user, from_kind=PhaseKind.NOMINATION)
    assert refused.value.code == "stale"
    assert _state(programme)[0] == PhaseKind.SCREENING


def test_the_last_phase_has_nowhere_to_go(programme, office_user):
    set_phase(programme, PhaseKind.CLOSED)
    with pytest.raises(DomainError) as refused:
        advance_programme(programme, actor=office_user)
    assert refused.value.code == "last_phase"


def test_next_move_lists_the_same_blockers_the_move_would_meet(org, programme, office_user, coordinator_a):
    _nominate(programme, org.a, coordinator_a)
    move = next_move(programme)
    assert (move.current.kind, move.target.kind, move.is_clear, move.can_step_back) == (
        PhaseKind.NOMINATION,
        PhaseKind.SCREENING,
        False,
        True,
    )
    with pytest.raises(PhaseBlocked) as refused:
        advance_programme(programme, actor=office_user)
    assert refused.value.blockers == move.blockers


def test_stepping_back_needs_a_reason_and_is_audited(programme, office_user):
    before = _state(programme)
    with pytest.raises(DomainError):
        step_back_programme(programme, reason="  ", actor=office_user)
    assert _state(programme) == before

    phase = step_back_programme(programme, reason="Quotas were wrong", actor=office_user, at=AT)

    assert (phase.kind, _state(programme)[0]) == (PhaseKind.SETUP, PhaseKind.SETUP)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.data) == (
        "exemplar.programmes.phase_stepped_back",
        {"from": "nomination", "to": "setup", "reason": "Quotas were wrong"},
    )


def test_no_stepping_back_once_results_are_out(programme, office_user):
    set_phase(programme, PhaseKind.ELECTION)
    with pytest.raises(DomainError) as refused:
        step_back_programme(programme, reason="Try again", actor=office_user)
    assert (refused.value.code, _state(programme)[0]) == ("irreversible", PhaseKind.ELECTION)


def test_optional_phases_ahead_can_be_removed_and_put_back(programme, office_user):
    election = programme.phases.get(kind=PhaseKind.ELECTION)
    delete_phase(election, actor=office_user)
    assert list(programme.phases.values_list("kind", flat=True)) == [
        k for k in PhaseKind.values if k != PhaseKind.ELECTION
    ]

    phase = add_phase(programme, kind=PhaseKind.ELECTION, actor=office_user)

    assert (phase.order, phase.can_vote, phase.can_review) == (5, True, False)
    assert [e.action for e in AuditEntry.objects.order_by("seq")][-2:] == [
        "exemplar.programmes.phase_deleted",
        "exemplar.programmes.phase_added",
    ]


def test_required_past_and_duplicate_phases_are_refused(programme, office_user):
    with pytest.raises(DomainError) as required:
        delete_phase(programme.phases.get(kind=PhaseKind.SCREENING), actor=office_user)
    with pytest.raises(DomainError) as past:
        update_phase(
            programme.phases.get(kind=PhaseKind.SETUP),
            starts_at=None,
            ends_at=None,
            min_candidates_per_seat=None,
            capabilities=(),
            actor=office_user,
        )
    with pytest.raises(DomainError) as duplicate:
        add_phase(programme, kind=PhaseKind.REVIEW, actor=office_user)
    assert (required.value.code, past.value.code, duplicate.value.code) == (
        "required_phase",
        "phase_past",
        "duplicate_phase",
    )


def test_a_window_must_close_after_it_opens(programme, office_user):
    phase = programme.phases.get(kind=PhaseKind.REVIEW)
    with pytest.raises(DomainError) as refused:
        update_phase(
            phase,
            starts_at=datetime(2026, 6, 1, tzinfo=UTC),
            ends_at=datetime(2026, 5, 1, tzinfo=UTC),
            min_candidates_per_seat=None,
            capabilities={"can_review"},
            actor=office_user,
        )
    phase.refresh_from_db()
    assert (refused.value.code, phase.starts_at) == ("bad_window", None)


def test_updating_a_phase_records_what_changed(programme, office_user):
    phase = programme.phases.get(kind=PhaseKind.NOMINATION)
    update_phase(
        phase,
        starts_at=datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
        ends_at=datetime(2026, 4, 10, 9, 30, tzinfo=UTC),
        min_candidates_per_seat=Decimal(2),
        capabilities={"can_nominate"},
        actor=office_user,
    )
    phase.refresh_from_db()
    assert (phase.can_nominate, phase.can_endorse, phase.min_candidates_per_seat) == (True, False, Decimal(2))
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.data == {
        "phase": "nomination",
        "fields": ["can_endorse", "ends_at", "min_candidates_per_seat", "starts_at"],
    }
    assert Programme.objects.get(pk=programme.pk).current_phase == phase
