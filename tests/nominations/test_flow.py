import pytest

from exemplar.core.domain.audit import verify_chain
from exemplar.core.errors import DomainError
from exemplar.core.models import Notification
from exemplar.nominations.domain.nominations import (
    create_nomination,
    endorse_nomination,
    return_nomination,
    submit_nomination,
    withdraw_nomination,
)
from exemplar.nominations.domain.queries import nominations_visible_to
from exemplar.nominations.enums import NominationState
from exemplar.nominations.models import Nomination
from exemplar.people.enums import Role
from exemplar.programmes.enums import PhaseKind
from exemplar.programmes.models import UnitQuota
from tests.factories.people import PersonFactory, TeamFactory, grant, make_user
from tests.factories.programmes import make_programme, set_phase

pytestmark = pytest.mark.integration


@pytest.fixture
def programme(office_user):
    return make_programme(office_user)


@pytest.fixture
def coordinator_a1(org):
    user = make_user("coord_a1", person=PersonFactory(unit=org.a1))
    grant(user, Role.UNIT_COORDINATOR, org.a1)
    return user


def _draft(programme, unit, actor, person):
    return create_nomination(
        programme=programme,
        category=programme.categories.get(code="individual"),
        unit=unit,
        person=person,
        title="Forty years at the lathe",
        deeds="<p>Made <strong>zero</strong> defects<script>alert(1)</script></p>",
        actor=actor,
    )


def test_up_the_tree_to_the_office(org, programme, coordinator_a1, coordinator_a, office_user):
    nominee = PersonFactory(unit=org.a1)
    nomination = _draft(programme, org.a1, coordinator_a1, nominee)
    assert (nomination.state, nomination.deeds) == (NominationState.DRAFT, "<p>Made <strong>zero</strong> defects</p>")
    assert list(nominations_visible_to(office_user, programme)) == []  # drafts are private to the unit

    submit_nomination(nomination, actor=coordinator_a1)
    nomination.refresh_from_db()
    assert (nomination.state, nomination.at_unit) == (NominationState.SUBMITTED, org.a)
    assert list(Notification.objects.filter(user=coordinator_a).values_list("message", flat=True)) == [
        f"Nomination {nomination.reference} awaits your endorsement."
    ]

    endorse_nomination(nomination, actor=coordinator_a)
    nomination.refresh_from_db()
    assert (nomination.state, nomination.at_unit) == (NominationState.RECEIVED, None)
    assert list(nominations_visible_to(office_user, programme)) == [nomination]
    assert list(nomination.steps.values_list("action", "unit__code")) == [
        ("created", "A1"),
        ("submitted", "A1"),
        ("endorsed", "A"),
        ("forwarded", "A"),
    ]
    assert verify_chain().ok


def test_return_releases_quota_and_tells_the_unit(org, programme, coordinator_a1, coordinator_a):
    UnitQuota.objects.create(programme=programme, unit=org.a1, allocated=1)
    UnitQuota.objects.create(programme=programme, unit=org.a, allocated=5)
    nomination = _draft(programme, org.a1, coordinator_a1, PersonFactory(unit=org.a1))
    submit_nomination(nomination, actor=coordinator_a1)
    assert UnitQuota.objects.get(unit=org.a1).used == 1

    with pytest.raises(DomainError, match="Say why"):
        return_nomination(nomination, reason="  ", actor=coordinator_a)
    return_nomination(nomination, reason="Add the 2025 test results", actor=coordinator_a)
    nomination.refresh_from_db()
    assert (nomination.state, nomination.decision_reason) == (NominationState.RETURNED, "Add the 2025 test results")
    assert UnitQuota.objects.get(unit=org.a1).used == 0
    submit_nomination(nomination, actor=coordinator_a1)
    assert Nomination.objects.get(pk=nomination.pk).state == NominationState.SUBMITTED


def test_quota_refuses_and_changes_nothing(org, programme, coordinator_a1):
    UnitQuota.objects.create(programme=programme, unit=org.a1, allocated=1)
    first = _draft(programme, org.a1, coordinator_a1, PersonFactory(unit=org.a1))
    second = _draft(programme, org.a1, coordinator_a1, PersonFactory(unit=org.a1))
    submit_nomination(first, actor=coordinator_a1)
    with pytest.raises(DomainError, match="used all 1 of its nominations"):
        submit_nomination(second, actor=coordinator_a1)
    second.refresh_from_db()
    assert (second.state, UnitQuota.objects.get(unit=org.a1).used) == (NominationState.DRAFT, 1)
    withdraw_nomination(first, reason="changed our mind", actor=coordinator_a1)
    submit_nomination(second, actor=coordinator_a1)
    assert UnitQuota.objects.get(unit=org.a1).used == 1


def test_refusals(org, programme, coordinator_a1, coordinator_a):
    outsider = PersonFactory(unit=org.b1)
    with pytest.raises(DomainError, match="own subtree"):
        _draft(programme, org.a1, coordinator_a1, outsider)
    with pytest.raises(DomainError, match="Only the coordinator of"):
        _draft(programme, org.a1, coordinator_a, PersonFactory(unit=org.a1))
    with pytest.raises(DomainError, match="honours teams"):
        create_nomination(
            programme=programme,
            category=programme.categories.get(code="team"),
            unit=org.a1,
            person=PersonFactory(unit=org.a1),
            title="t",
            deeds="d",
            actor=coordinator_a1,
        )
    set_phase(programme, PhaseKind.SCREENING)
    with pytest.raises(DomainError, match="does not allow"):
        _draft(programme, org.a1, coordinator_a1, PersonFactory(unit=org.a1))


def test_secondary_unit_nomination_goes_straight_to_the_office(org, programme, coordinator_a):
    team = TeamFactory(unit=org.a2)
    nomination = create_nomination(
        programme=programme,
        category=programme.categories.get(code="team"),
        unit=org.a,
        team=team,
        title="Engine team",
        deeds="<p>Lit the engine</p>",
        actor=coordinator_a,
    )
    submit_nomination(nomination, actor=coordinator_a)
    nomination.refresh_from_db()
    assert (nomination.state, nomination.at_unit) == (NominationState.RECEIVED, None)
