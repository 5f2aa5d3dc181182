"""Joint nomination: marked by the coordinator, signed once by employees of the unit's subtree, needed to submit."""

from __future__ import annotations

import pytest

from exemplar.core.domain.audit import verify_chain
from exemplar.core.errors import DomainError
from exemplar.core.models import AuditEntry, Notification
from exemplar.nominations.domain.joint import mark_joint, sign_joint_nomination, unmark_joint
from exemplar.nominations.domain.nominations import create_nomination, submit_nomination
from exemplar.nominations.domain.queries import joint_nominations_open_to
from exemplar.nominations.enums import NominationState
from exemplar.nominations.models import JointSupporter, Nomination
from exemplar.people.enums import PersonStatus, Role
from exemplar.programmes.enums import PhaseKind
from tests.factories.people import PersonFactory, TeamFactory, add_member, grant, make_user
from tests.factories.programmes import make_programme, set_phase

pytestmark = pytest.mark.integration


@pytest.fixture
def programme(office_user):
    programme = make_programme(office_user)
    programme.allow_joint_nomination = True
    programme.joint_nomination_size = 2
    programme.save(update_fields=["allow_joint_nomination", "joint_nomination_size"])
    return programme


@pytest.fixture
def coordinator_a1(org):
    user = make_user("coord_a1", person=PersonFactory(unit=org.a1))
    grant(user, Role.UNIT_COORDINATOR, org.a1)
    return user


@pytest.fixture
def nominee(org):
    return PersonFactory(unit=org.a1)


@pytest.fixture
def joint(org, programme, coordinator_a1, nominee):
    nomination = create_nomination(
        programme=programme,
        category=programme.categories.get(code="individual"),
        unit=org.a1,
        person=nominee,
        title="Forty years at the lathe",
        deeds="<p>Deeds</p>",
        actor=coordinator_a1,
    )
    return mark_joint(nomination, actor=coordinator_a1)


def employee(unit, name: str, **kwargs):
    return make_user(name, person=PersonFactory(unit=unit, **kwargs))


def test_signatures_gate_submission(org, joint, coordinator_a1, programme):
    assert joint.is_joint
    first, second = employee(org.a1, "e1"), employee(org.a1, "e2")
    sign_joint_nomination(joint, actor=first)
    with pytest.raises(DomainError, match="needs 2 supporters; it has 1"):
        submit_nomination(joint, actor=coordinator_a1)
    sign_joint_nomination(joint, actor=second)
    assert list(Notification.objects.filter(user=coordinator_a1).values_list("message", flat=True)) == [
        f"Joint nomination {joint.reference} has the 2 signatures it needs and can be submitted."
    ]
    submit_nomination(joint, actor=coordinator_a1)
    assert Nomination.objects.get(pk=joint.pk).state == NominationState.SUBMITTED
    assert list(
        AuditEntry.objects.filter(action__startswith="exemplar.nominations.joint")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["exemplar.nominations.joint_marked", "exemplar.nominations.joint_signed", "exemplar.nominations.joint_signed"]
    assert verify_chain().ok


def test_an_employee_signs_once(org, joint):
    signer = employee(org.a1, "e1")
    sign_joint_nomination(joint, actor=signer)
    with pytest.raises(DomainError, match="already signed"):
        sign_joint_nomination(joint, actor=signer)
    assert JointSupporter.objects.filter(nomination=joint).count() == 1


def test_nominee_and_team_members_cannot_sign_their_own(org, programme, coordinator_a1, joint, nominee):
    own = make_user("nominee", person=nominee)
    with pytest.raises(DomainError, match="of yourself or of your own team"):
        sign_joint_nomination(joint, actor=own)
    team = TeamFactory(unit=org.a1)
    member = employee(org.a1, "member")
    add_member(team, member.person)
    team_nomination = create_nomination(
        programme=programme,
        category=programme.categories.get(code="team"),
        unit=org.a1,
        team=team,
        title="t",
        deeds="d",
        actor=coordinator_a1,
    )
    mark_joint(team_nomination, actor=coordinator_a1)
    with pytest.raises(DomainError, match="of yourself or of your own team"):
        sign_joint_nomination(team_nomination, actor=member)
    assert JointSupporter.objects.count() == 0


def test_only_employees_of_the_subtree(org, joint):
    for unit, name in [(org.a2, "sibling"), (org.a, "above"), (org.b1, "elsewhere")]:
        with pytest.raises(DomainError, match="Only employees of"):
            sign_joint_nomination(joint, actor=employee(unit, name))
    retired = employee(org.a1, "retired", status=PersonStatus.RETIRED)
    with pytest.raises(DomainError, match="Only active employees"):
        sign_joint_nomination(joint, actor=retired)
    no_person = make_user("service")
    with pytest.raises(DomainError, match="not linked to an employee"):
        sign_joint_nomination(joint, actor=no_person)
    assert JointSupporter.objects.count() == 0


def test_marking_needs_the_programme_to_allow_it(org, programme, coordinator_a1, nominee, coordinator_a):
    draft = create_nomination(
        programme=programme,
        category=programme.categories.get(code="individual"),
        unit=org.a1,
        person=nominee,
        title="t",
        deeds="d",
        actor=coordinator_a1,
    )
    with pytest.raises(DomainError, match="Only the coordinator of"):
        mark_joint(draft, actor=coordinator_a)
    programme.allow_joint_nomination = False
    programme.save(update_fields=["allow_joint_nomination"])
    with pytest.raises(DomainError, match="does not allow joint nominations"):
        mark_joint(draft, actor=coordinator_a1)
    assert Nomination.objects.get(pk=draft.pk).is_joint is False


def test_not_joint_or_submitted_or_closed_cannot_be_signed(org, joint, coordinator_a1, programme):
    signer = employee(org.a1, "e1")
    unmark_joint(joint, actor=coordinator_a1)
    with pytest.raises(DomainError, match="not open to joint signatures"):
        sign_joint_nomination(joint, actor=signer)
    mark_joint(joint, actor=coordinator_a1)
    set_phase(programme, PhaseKind.SCREENING)
    with pytest.raises(DomainError, match="does not allow this"):
        sign_joint_nomination(joint, actor=signer)
    assert JointSupporter.objects.count() == 0


def test_unmarking_drops_the_signatures(org, joint, coordinator_a1):
    sign_joint_nomination(joint, actor=employee(org.a1, "e1"))
    unmark_joint(joint, actor=coordinator_a1)
    assert (Nomination.objects.get(pk=joint.pk).is_joint, JointSupporter.objects.count()) == (False, 0)
    assert AuditEntry.objects.get(action="exemplar.nominations.joint_unmarked").data == {"signatures_dropped": 1}


def test_predicate_and_selector_agree(org, joint, programme, coordinator_a1, nominee):
    """``nominations.sign_joint`` and ``joint_nominations_open_to`` say the same for every kind of employee."""
    plain = create_nomination(
        programme=programme,
        category=programme.categories.get(code="individual"),
        unit=org.a1,
        person=PersonFactory(unit=org.a1),
        title="t",
        deeds="d",
        actor=coordinator_a1,
    )
    users = [
        employee(org.a1, "in_a1"),
        employee(org.a2, "in_a2"),
        employee(org.a, "in_a"),
        employee(org.b1, "in_b1"),
        employee(org.a1, "retired", status=PersonStatus.RETIRED),
        make_user("nominee", person=nominee),
    ]
    for made in users:
        user = type(made).objects.select_related("person__unit").get(pk=made.pk)
        listed = set(joint_nominations_open_to(user.person))
        allowed = {n for n in (joint, plain) if user.has_perm("nominations.sign_joint", n)}
        assert listed == allowed, user.username
    assert {u.username for u in users if user_may_sign(u, joint)} == {"in_a1"}


def user_may_sign(user, nomination) -> bool:
    return type(user).objects.get(pk=user.pk).has_perm("nominations.sign_joint", nomination)
