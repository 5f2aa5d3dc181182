"""Who holds a role exactly at a unit: the people to notify or to act there."""

from __future__ import annotations

from django.db.models import QuerySet

from exemplar.people.enums import Role
from exemplar.people.models import OrgUnit, User


def holders_at(unit: OrgUnit | None, role: str) -> QuerySet[User]:
    """Active accounts holding ``role`` granted exactly at ``unit``."""
    if unit is None:
        return User.objects.none()
    return User.objects.filter(is_active=True, grants__role=role, grants__unit=unit).distinct()


def group_office() -> QuerySet[User]:
    """Active accounts of the programme office at the root of the tree."""
    return User.objects.filter(
        is_active=True, grants__role=Role.PROGRAMME_OFFICE, grants__unit__parent__isnull=True
    ).distinct()
