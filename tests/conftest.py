"""Fixtures shared across apps: a small organisation of two branches, and users in each role.

ROOT
├── A            (secondary)
│   ├── A1       (tertiary)
│   └── A2
└── B
    └── B1
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from exemplar.people.enums import Role
from exemplar.people.models import OrgUnit, User
from tests.factories.people import PersonFactory, grant, make_unit, make_user


@dataclass
class Org:
    root: OrgUnit
    a: OrgUnit
    a1: OrgUnit
    a2: OrgUnit
    b: OrgUnit
    b1: OrgUnit


@pytest.fixture
def org(db: None) -> Org:
    root = make_unit("ROOT", name="集团", name_en="Group")
    a = make_unit("A", root)
    b = make_unit("B", root)
    return Org(root=root, a=a, a1=make_unit("A1", a), a2=make_unit("A2", a), b=b, b1=make_unit("B1", b))


def _user_with_role(username: str, role: str, unit: OrgUnit) -> User:
    person = PersonFactory(unit=unit)
    user = make_user(username, person=person)
    grant(user, role, unit)
    return user


@pytest.fixture
def office_user(org: Org) -> User:
    return _user_with_role("office", Role.PROGRAMME_OFFICE, org.root)


@pytest.fixture
def auditor_user(org: Org) -> User:
    return _user_with_role("auditor", Role.AUDITOR, org.root)


@pytest.fixture
def coordinator_a(org: Org) -> User:
    """Unit coordinator over branch A only."""
    return _user_with_role("coord_a", Role.UNIT_COORDINATOR, org.a)


@pytest.fixture
def reviewer_user(org: Org) -> User:
    return _user_with_role("reviewer", Role.REVIEWER, org.root)


@pytest.fixture
def employee_user(org: Org) -> User:
    """An employee with no staff role: the portal only."""
    return _user_with_role("employee", Role.EMPLOYEE, org.b1)
