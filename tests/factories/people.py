"""Factories for the organisation. Units get their path through the domain, as in production."""

from __future__ import annotations

import factory
from django.utils import timezone

from exemplar.people.domain import tree
from exemplar.people.enums import PersonStatus, StaffCategory
from exemplar.people.models import OrgUnit, Person, RoleGrant, Team, TeamMembership, User


def make_unit(code: str, parent: OrgUnit | None = None, *, name: str | None = None, name_en: str = "") -> OrgUnit:
    """A unit under ``parent`` with its path set (no audit entry: test fixture)."""
    unit = OrgUnit.objects.create(
        code=code, name=name or f"单位{code}", name_en=name_en or f"Unit {code}", parent=parent, path=f"new:{code}"
    )
    unit.path = tree.child_path(parent.path if parent else "", unit.pk)
    unit.depth = tree.depth_of(unit.path)
    unit.save(update_fields=["path", "depth"])
    return unit


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    staff_number = factory.Sequence(lambda n: f"S{n:06d}")
    name = factory.Sequence(lambda n: f"员工{n}")
    name_en = factory.Sequence(lambda n: f"Employee {n}")
    staff_category = StaffCategory.TECHNICAL
    status = PersonStatus.ACTIVE
    email = factory.LazyAttribute(lambda p: f"{p.staff_number.lower()}@example.org")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"团队{n}")
    name_en = factory.Sequence(lambda n: f"Team {n}")


def add_member(team: Team, person: Person, role: str = "") -> TeamMembership:
    return TeamMembership.objects.create(team=team, person=person, role=role)


def make_user(username: str, *, person: Person | None = None, password: str = "correct-horse-battery") -> User:
    return User.objects.create_user(
        username=username, password=password, person=person, email=f"{username}@example.org"
    )


def grant(user: User, role: str, unit: OrgUnit) -> RoleGrant:
    return RoleGrant.objects.create(user=user, role=role, unit=unit, granted_at=timezone.now())
