"""Vetting: every department signs off each confirmed candidate; one veto removes it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exemplar.core.domain.audit import verify_chain
from exemplar.core.errors import DomainError
from exemplar.core.models import AuditEntry, Notification
from exemplar.nominations.domain.queries import nominations_to_vet, vetting_programmes
from exemplar.nominations.domain.vetting import awaiting_department, record_vetting, vetting_matrix
from exemplar.nominations.enums import NominationState, VettingVerdict
from exemplar.nominations.models import Nomination, VettingDecision
from exemplar.people.models import User
from exemplar.programmes.enums import PhaseKind
from exemplar.programmes.models import Programme, UnitQuota
from tests.factories.programmes import make_programme, set_phase
from tests.factories.screening import dossier, signatory

pytestmark = pytest.mark.integration

APPROVE, VETO = VettingVerdict.APPROVED, VettingVerdict.VETOED


@pytest.fixture
def programme(office_user) -> Programme:
    return make_programme(office_user, phase=PhaseKind.VETTING)


@pytest.fixture
def departments(programme):
    return list(programme.vetting_departments.order_by("order"))


@pytest.fixture
def signatories(org, departments):
    return [signatory(f"sign{i}", d, org.root) for i, d in enumerate(departments)]


@pytest.fixture
def candidate(org, programme, coordinator_a) -> Nomination:
    return dossier(programme, org.a, state=NominationState.CONFIRMED, created_by=coordinator_a)


@dataclass
class Vetting:
    programme: Programme
    departments: list
    signatories: list
    candidate: Nomination
    office: User
    coordinator: User


@pytest.fixture
def vet(signatories, candidate, office_user, coordinator_a) -> Vetting:
    programme = candidate.programme
    departments = list(programme.vetting_departments.order_by("order"))
    return Vetting(programme, departments, signatories, candidate, office_user, coordinator_a)


def _state(nomination: Nomination) -> str:
    return Nomination.objects.get(pk=nomination.pk).state


def test_every_department_approves_and_the_candidate_is_cleared(candidate, departments, signatories):
    for department, user in zip(departments[:-1], signatories[:-1], strict=True):
        record_vetting(candidate, department=department, verdict=APPROVE, actor=user)
        assert _state(candidate) == NominationState.CONFIRMED
    record_vetting(candidate, department=departments[-1], verdict=APPROVE, actor=signatories[-1])
    assert _state(candidate) == NominationState.APPROVED
    assert list(candidate.steps.values_list("action", flat=True)) == ["approved"]
    assert list(AuditEntry.objects.order_by("seq").values_list("action", flat=True)) == [
        "exemplar.nominations.vetting_approved",
        "exemplar.nominations.vetting_approved",
        "exemplar.nominations.vetting_approved",
        "exemplar.nominations.cleared",
    ]
    assert verify_chain().ok


def test_one_veto_removes_the_candidate_and_tells_the_office(org, vet):
    programme, candidate, departments, signatories, office_user = (
        vet.programme,
        vet.candidate,
        vet.departments,
        vet.signatories,
        vet.office,
    )
    UnitQuota.objects.create(programme=programme, unit=org.a, allocated=4, used=1)
    record_vetting(candidate, department=departments[0], verdict=APPROVE, actor=signatories[0])
    record_vetting(
        candidate, department=departments[2], verdict=VETO, reason="Safety incident under review", actor=signatories[2]
    )
    candidate.refresh_from_db()
    assert (candidate.state, candidate.decision_reason) == (NominationState.VETOED, "")
    assert VettingDecision.objects.get(verdict=VETO).reason == "Safety incident under review"
    assert list(candidate.steps.values_list("action", "reason")) == [("vetoed", "")]  # the unit reads the history
    assert UnitQuota.objects.get(unit=org.a).used == 1  # a veto gives no quota back
    assert list(Notification.objects.filter(user=office_user).values_list("message", flat=True)) == [
        f"Safety vetoed candidate {candidate.reference}: Safety incident under review"
    ]
    with pytest.raises(DomainError, match="not waiting for vetting"):
        record_vetting(candidate, department=departments[1], verdict=APPROVE, actor=signatories[1])
    assert list(VettingDecision.objects.order_by("department__order").values_list("verdict", flat=True)) == [
        APPROVE,
        VETO,
    ]


def test_a_veto_needs_a_reason_and_nothing_changes_without_one(candidate, departments, signatories):
    with pytest.raises(DomainError, match="Say why"):
        record_vetting(candidate, department=departments[0], verdict=VETO, reason="  ", actor=signatories[0])
    with pytest.raises(DomainError, match="approve or veto"):
        record_vetting(candidate, department=departments[0], verdict="maybe", actor=signatories[0])
    assert (_state(candidate), VettingDecision.objects.count(), AuditEntry.objects.count()) == (
        NominationState.CONFIRMED,
        0,
        0,
    )


def test_only_the_department_signatories_decide(vet):
    candidate, departments, signatories = vet.candidate, vet.departments, vet.signatories
    office_user, coordinator_a = vet.office, vet.coordinator
    for outsider in (office_user, coordinator_a, signatories[1]):
        with pytest.raises(DomainError, match="Only the signatories of Discipline inspection"):
            record_vetting(candidate, department=departments[0], verdict=APPROVE, actor=outsider)
    assert (_state(candidate), VettingDecision.objects.count(), AuditEntry.objects.count()) == (
        NominationState.CONFIRMED,
        0,
        0,
    )


def test_a_signatory_of_one_programme_cannot_act_on_another(org, office_user, candidate, departments, signatories):
    other = make_programme(office_user, year=2027, phase=PhaseKind.VETTING)
    elsewhere = dossier(other, org.a, state=NominationState.CONFIRMED, created_by=office_user)
    with pytest.raises(DomainError, match="does not vet this programme"):
        record_vetting(elsewhere, department=departments[0], verdict=APPROVE, actor=signatories[0])
    with pytest.raises(DomainError, match="Only the signatories"):
        record_vetting(
            elsewhere,
            department=other.vetting_departments.order_by("order").first(),
            verdict=VETO,
            reason="x",
            actor=signatories[0],
        )
    assert (_state(elsewhere), VettingDecision.objects.count()) == (NominationState.CONFIRMED, 0)


def test_an_approval_may_become_a_veto_while_vetting_goes_on(candidate, departments, signatories):
    record_vetting(candidate, department=departments[0], verdict=APPROVE, actor=signatories[0])
    with pytest.raises(DomainError, match="already approved"):
        record_vetting(candidate, department=departments[0], verdict=APPROVE, actor=signatories[0])
    record_vetting(candidate, department=departments[0], verdict=VETO, reason="New finding", actor=signatories[0])
    decision = VettingDecision.objects.get()
    assert (decision.verdict, decision.reason, _state(candidate)) == (VETO, "New finding", NominationState.VETOED)
    assert AuditEntry.objects.get(action="exemplar.nominations.vetoed").data["previous"] == APPROVE


def test_refused_outside_the_vetting_phase_or_state(org, vet):
    programme, candidate, departments, signatories = vet.programme, vet.candidate, vet.departments, vet.signatories
    coordinator_a = vet.coordinator
    received = dossier(programme, org.a, created_by=coordinator_a)
    with pytest.raises(DomainError, match="not waiting for vetting"):
        record_vetting(received, department=departments[0], verdict=APPROVE, actor=signatories[0])
    set_phase(programme, PhaseKind.REVIEW)
    with pytest.raises(DomainError, match="does not allow"):
        record_vetting(candidate, department=departments[0], verdict=APPROVE, actor=signatories[0])
    assert VettingDecision.objects.count() == 0


def test_the_worklist_shows_what_waits_for_the_department(org, vet):
    programme, candidate, departments, signatories = vet.programme, vet.candidate, vet.departments, vet.signatories
    coordinator_a = vet.coordinator
    second = dossier(programme, org.a, state=NominationState.CONFIRMED, created_by=coordinator_a)
    dossier(programme, org.a, state=NominationState.RECEIVED, created_by=coordinator_a)  # not yet confirmed
    record_vetting(candidate, department=departments[0], verdict=APPROVE, actor=signatories[0])
    assert list(awaiting_department(departments[0])) == [second]
    assert list(awaiting_department(departments[1])) == [candidate, second]


@pytest.mark.parametrize("n", [1, 3])
def test_the_matrix_takes_three_queries_at_any_size(org, vet, n):
    programme, departments, signatories = vet.programme, vet.departments, vet.signatories
    made = [vet.candidate] + [
        dossier(programme, org.a, state=NominationState.CONFIRMED, created_by=vet.coordinator) for _ in range(n - 1)
    ]
    record_vetting(made[0], department=departments[1], verdict=APPROVE, actor=signatories[1])
    with CaptureQueriesContext(connection) as ctx:
        matrix = vetting_matrix(programme)
        cells = [[c.verdict if c else None for c in row.cells] for row in matrix.rows]
    assert len(ctx.captured_queries) == 3
    assert [d.name_en for d in matrix.departments] == ["Discipline inspection", "Human resources", "Safety"]
    assert cells == [[None, APPROVE, None]] + [[None, None, None]] * (n - 1)
    assert [row.missing for row in matrix.rows] == [2] + [3] * (n - 1)


# --- predicates and selectors agree -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["office_user", "coordinator_a", "sign0", "outsider"])
@pytest.mark.parametrize("phase", [PhaseKind.SCREENING, PhaseKind.VETTING])
def test_vet_predicate_agrees_with_selector(request, org, vet, who, phase):
    programme, signatories, office_user = vet.programme, vet.signatories, vet.office
    other = make_programme(office_user, year=2027, phase=PhaseKind.VETTING)
    outsider = signatory("outsider", other.vetting_departments.first(), org.b)
    for p in (programme, other):
        for state in NominationState.values:
            dossier(p, org.a, state=state, created_by=office_user)
    set_phase(programme, phase)
    user = {"sign0": signatories[0], "outsider": outsider}.get(who) or request.getfixturevalue(who)
    user = User.objects.get(pk=user.pk)
    everything = list(Nomination.objects.select_related("programme__current_phase").order_by("pk"))
    for p in Programme.objects.select_related("current_phase"):
        assert [
            n for n in everything if n.programme_id == p.pk and user.has_perm("nominations.vet_nomination", n)
        ] == list(nominations_to_vet(user, p).order_by("pk"))
        assert user.has_perm("nominations.sign_for_programme", p) == vetting_programmes(user).filter(pk=p.pk).exists()
    assert list(vetting_programmes(user)) == {"sign0": [programme], "outsider": [other]}.get(who, [])
