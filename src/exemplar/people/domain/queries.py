"""Selectors for the organisation: what a user may list, and tree aggregates.

Each list selector matches a predicate in ``people.rules``; tests assert the
two agree.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from exemplar.people.domain import tree
from exemplar.people.domain.grants import scope_paths
from exemplar.people.enums import DIRECTORY_ROLES, PersonStatus
from exemplar.people.models import OrgUnit, Person, Team

AnyUser = object  # a User or AnonymousUser; kept loose for the templates' sake


def _path_filter(field: str, paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def units_visible_to(user: AnyUser) -> QuerySet[OrgUnit]:
    """Units in the subtrees where ``user`` may browse the directory."""
    paths = scope_paths(user, DIRECTORY_ROLES)  # type: ignore[arg-type]
    return OrgUnit.objects.filter(_path_filter("path", paths))


def people_visible_to(user: AnyUser) -> QuerySet[Person]:
    paths = scope_paths(user, DIRECTORY_ROLES)  # type: ignore[arg-type]
    return Person.objects.filter(_path_filter("unit__path", paths))


def teams_visible_to(user: AnyUser) -> QuerySet[Team]:
    paths = scope_paths(user, DIRECTORY_ROLES)  # type: ignore[arg-type]
    return Team.objects.filter(_path_filter("unit__path", paths))


def browse_roots(user: AnyUser | AnonymousUser) -> QuerySet[OrgUnit]:
    """The top units of ``user``'s directory scope: where the tree page starts."""
    paths = scope_paths(user, DIRECTORY_ROLES)  # type: ignore[arg-type]
    return OrgUnit.objects.filter(path__in=paths).order_by("path")


def subtree(unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The unit and everything below it: one query, any depth."""
    return OrgUnit.objects.filter(path__startswith=unit.path)


def ancestors(unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The chain of units from the root to the parent: one query, any depth."""
    return OrgUnit.objects.filter(pk__in=unit.ancestor_ids).order_by("depth")


def subtree_headcount(unit: OrgUnit, *, status: str = PersonStatus.ACTIVE) -> int:
    return Person.objects.filter(unit__path__startswith=unit.path, status=status).count()


def child_headcounts(parent_path: str, *, status: str = PersonStatus.ACTIVE) -> dict[str, int]:
    """Active people under each child of the unit at ``parent_path``, keyed by child path.

    One GROUP BY over the fixed-width path prefix, whatever the depth.
    """
    prefix_len = len(parent_path) + tree.STEP
    rows = (
        Person.objects.filter(
            unit__path__startswith=parent_path, unit__depth__gt=tree.depth_of(parent_path), status=status
        )
        .annotate(child=Substr("unit__path", 1, prefix_len))
        .values("child")
        .annotate(n=Count("pk"))
        .values_list("child", "n")
    )
    return dict(rows)


def children_with_headcounts(unit: OrgUnit) -> list[tuple[OrgUnit, int, bool]]:
    """Direct children of ``unit`` with their subtree headcount and whether they have children.

    Three queries in all, whatever the number of children.
    """
    children = list(OrgUnit.objects.filter(parent=unit).order_by("code"))
    counts = child_headcounts(unit.path)
    with_kids = set(OrgUnit.objects.filter(parent__parent=unit).values_list("parent_id", flat=True).distinct())
    return [(c, counts.get(c.path, 0), c.pk in with_kids) for c in children]


def search_people(qs: QuerySet[Person], term: str) -> QuerySet[Person]:
    """Match by staff number (exact or prefix) or by name (contains, either language)."""
    term = term.strip()
    if not term:
        return qs.none()
    return qs.filter(Q(staff_number__istartswith=term) | Q(name__icontains=term) | Q(name_en__icontains=term))
