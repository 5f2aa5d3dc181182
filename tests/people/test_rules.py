"""Permission predicates (people.rules) agree with the selectors that filter lists (people.domain.queries)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from exemplar.people.domain.queries import people_visible_to, teams_visible_to, units_visible_to
from exemplar.people.enums import PersonStatus, Role
from exemplar.people.models import OrgUnit, Person, Team, User
from tests.factories.people import PersonFactory, TeamFactory, add_member, grant, make_unit, make_user

pytestmark = pytest.mark.integration

USER_FIXTURES = ["office_user", "auditor_user", "coordinator_a", "reviewer_user", "employee_user"]


@pytest.fixture
def populated(org):
    """People and teams in every unit, including branch B, which coordinator_a must never see."""
    for unit in (org.root, org.a, org.a1, org.a2, org.b, org.b1):
        PersonFactory(unit=unit, name=f"同名{unit.code}", name_en=f"Same Name {unit.code}")
        PersonFactory(unit=unit, status=PersonStatus.RETIRED)
        team = TeamFactory(unit=unit)
        add_member(team, PersonFactory(unit=unit))
    # A team based in A whose member sits in B, and the reverse: visibility follows the team's home unit.
    cross_a = TeamFactory(unit=org.a1, code="CROSS-A")
    add_member(cross_a, PersonFactory(unit=org.b1))
    cross_b = TeamFactory(unit=org.b1, code="CROSS-B")
    add_member(cross_b, PersonFactory(unit=org.a1))
    # A deeper unit below B, created after the grants were read by nobody yet.
    deep = make_unit("B1-X", org.b1)
    PersonFactory(unit=deep)
    return org


def _everything():
    return (
        list(OrgUnit.objects.order_by("path")),
        list(Person.objects.select_related("unit").order_by("staff_number")),
        list(Team.objects.select_related("unit").order_by("code")),
    )


def _fresh(user: User) -> User:
    # A user as a request would load it: no grants cached yet.
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("user_fixture", USER_FIXTURES)
def test_predicates_agree_with_selectors(request, populated, user_fixture):
    user = _fresh(request.getfixturevalue(user_fixture))
    units, people, teams = _everything()

    assert [u for u in units if user.has_perm("people.view_unit", u)] == list(units_visible_to(user).order_by("path"))
    assert [p for p in people if user.has_perm("people.view_person", p)] == list(
        people_visible_to(user).order_by("staff_number")
    )
    assert [t for t in teams if user.has_perm("people.view_team", t)] == list(teams_visible_to(user).order_by("code"))


def test_anonymous_sees_nothing(populated):
    anonymous = AnonymousUser()
    units, people, teams = _everything()
    assert [u for u in units if anonymous.has_perm("people.view_unit", u)] == []
    assert [p for p in people if anonymous.has_perm("people.view_person", p)] == []
    assert [t for t in teams if anonymous.has_perm("people.view_team", t)] == []
    assert (
        list(units_visible_to(anonymous)),
        list(people_visible_to(anonymous)),
        list(teams_visible_to(anonymous)),
    ) == (
        [],
        [],
        [],
    )


def test_coordinator_a_sees_branch_a_only(populated, coordinator_a):
    org = populated
    user = _fresh(coordinator_a)
    assert list(units_visible_to(user).order_by("path")) == [org.a, org.a1, org.a2]
    branch_a = {org.a.pk, org.a1.pk, org.a2.pk}
    assert set(people_visible_to(user).values_list("unit_id", flat=True)) == branch_a
    assert sorted(teams_visible_to(user).values_list("code", flat=True)) == sorted(
        Team.objects.filter(unit__in=branch_a).values_list("code", flat=True)
    )
    assert "CROSS-A" in teams_visible_to(user).values_list("code", flat=True)
    assert "CROSS-B" not in teams_visible_to(user).values_list("code", flat=True)
    for person in Person.objects.filter(unit__path__startswith=org.b.path).select_related("unit"):
        assert not user.has_perm("people.view_person", person), person


def test_roles_without_the_directory_see_nothing(populated, reviewer_user, employee_user):
    for user in (_fresh(reviewer_user), _fresh(employee_user)):
        assert (list(units_visible_to(user)), list(people_visible_to(user)), list(teams_visible_to(user))) == (
            [],
            [],
            [],
        )


def test_inactive_account_loses_its_grants(populated, office_user):
    office_user.is_active = False
    office_user.save()
    user = _fresh(office_user)
    assert list(units_visible_to(user)) == []
    assert not user.has_perm("people.view_unit", populated.root)


def test_overlapping_grants_do_not_duplicate_rows(populated, coordinator_a):
    org = populated
    grant(coordinator_a, Role.UNIT_COORDINATOR, org.a1)
    grant(coordinator_a, Role.AUDITOR, org.a)
    user = _fresh(coordinator_a)
    assert list(units_visible_to(user).order_by("path")) == [org.a, org.a1, org.a2]
    assert people_visible_to(user).count() == Person.objects.filter(unit__in=[org.a, org.a1, org.a2]).count()


def test_two_separate_grants_cover_both_subtrees(populated):
    org = populated
    user = make_user("two_scopes")
    grant(user, Role.UNIT_COORDINATOR, org.a1)
    grant(user, Role.UNIT_COORDINATOR, org.b1)
    user = _fresh(user)
    expected = [u for u in OrgUnit.objects.order_by("path") if u.code in {"A1", "B1", "B1-X"}]
    assert list(units_visible_to(user).order_by("path")) == expected
    assert [u for u in OrgUnit.objects.order_by("path") if user.has_perm("people.view_unit", u)] == expected


@pytest.mark.parametrize("user_fixture", USER_FIXTURES)
def test_checking_many_objects_reads_the_grants_once(request, populated, django_assert_num_queries, user_fixture):
    user = _fresh(request.getfixturevalue(user_fixture))
    units, people, teams = _everything()
    with django_assert_num_queries(1):
        for obj in units:
            user.has_perm("people.view_unit", obj)
        for obj in people:
            user.has_perm("people.view_person", obj)
        for obj in teams:
            user.has_perm("people.view_team", obj)
