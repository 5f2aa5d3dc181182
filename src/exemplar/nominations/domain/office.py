"""Selectors for the programme office's screening dashboard and its export.

Read-only. Every function costs a fixed number of queries whatever the
number of nominations, so the dashboard stays fast at 10,000 dossiers
(figures in ``docs/benchmarks.md``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr

from exemplar.nominations.domain.queries import UNIT_PRIVATE_STATES, VETTING_STATES
from exemplar.nominations.enums import NominationState, VettingVerdict
from exemplar.nominations.models import Nomination, VettingDecision
from exemplar.people.domain import tree
from exemplar.people.models import OrgUnit
from exemplar.programmes.models import Category, Programme, VettingDepartment

# What the eligibility filter of the dashboard offers.
ELIGIBILITY_BLOCKING = "blocking"
ELIGIBILITY_ANY = "any"
ELIGIBILITY_CLEAN = "clean"


@dataclass(frozen=True)
class DossierFilters:
    state: str = ""
    category_id: int | None = None
    unit: OrgUnit | None = None
    eligibility: str = ""
    duplicates: bool = False
    search: str = ""


def office_nominations(programme: Programme) -> QuerySet[Nomination]:
    """Everything the office sees in a programme: all but the units' private drafts."""
    return Nomination.objects.filter(programme=programme).exclude(state__in=UNIT_PRIVATE_STATES)


def office_dossiers(programme: Programme, filters: DossierFilters) -> QuerySet[Nomination]:
    """The dashboard's list, filtered, newest first, with what a row shows (the export re-sorts it)."""
    qs = office_nominations(programme)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.category_id:
        qs = qs.filter(category_id=filters.category_id)
    if filters.unit is not None:
        qs = qs.filter(unit__path__startswith=filters.unit.path)
    # Blockers are stored first (see ``domain.eligibility``): the first finding tells.
    if filters.eligibility == ELIGIBILITY_BLOCKING:
        qs = qs.filter(eligibility__0__severity="blocker")
    elif filters.eligibility == ELIGIBILITY_ANY:
        qs = qs.exclude(eligibility=[])
    elif filters.eligibility == ELIGIBILITY_CLEAN:
        qs = qs.filter(eligibility=[])
    if filters.duplicates:
        qs = qs.exclude(duplicates=[])
    term = filters.search.strip()
    if term:
        qs = qs.filter(
            Q(reference__icontains=term)
            | Q(person__name__icontains=term)
            | Q(person__name_en__icontains=term)
            | Q(team__name__icontains=term)
            | Q(team__name_en__icontains=term)
        )
    return qs.select_related("category", "unit", "person", "team").order_by("-pk")


def dossier_page(dossiers: QuerySet[Nomination], number: str | int | None, per_page: int) -> Page[Any]:
    """One page of ``dossiers``: every matching id first, then only that page's rows.

    A dossier row is wide (the deeds narrative), so the ids are picked from the
    narrow covering index and sorted there; ordering by ``id + 0`` keeps SQLite
    from walking the table in id order instead, which reads every wide row when
    a filter or a search matches few. Fetching the ids once also gives the count,
    so a search is evaluated once, not twice. Two queries: ids, rows.
    """
    ids: list[int] = list(dossiers.order_by((F("pk") + 0).desc()).values_list("pk", flat=True))
    page: Page[Any] = Paginator(ids, per_page).get_page(number)
    wanted = list(page.object_list)
    rows = {n.pk: n for n in dossiers.filter(pk__in=wanted)}
    page.object_list = [rows[pk] for pk in wanted if pk in rows]  # the page now holds the rows themselves
    return page


def branches() -> dict[str, OrgUnit]:
    """The root and the secondary units, by path: the rows of the dashboard's table."""
    return {u.path: u for u in OrgUnit.objects.filter(depth__lte=1).order_by("path")}


def branch_of(unit_path: str, by_path: Mapping[str, OrgUnit]) -> OrgUnit | None:
    """The secondary unit ``unit_path`` lies in (the root for the root itself)."""
    return by_path.get(unit_path[: 2 * tree.STEP]) or by_path.get(unit_path[: tree.STEP])


def counts_by_state(programme: Programme) -> dict[str, int]:
    rows = office_nominations(programme).values_list("state").annotate(n=Count("pk")).order_by()
    return dict(rows)


@dataclass(frozen=True)
class CountsRow:
    unit: OrgUnit | None
    cells: tuple[tuple[Category, int], ...]  # (category, count), in the table's order
    total: int


@dataclass(frozen=True)
class CountsTable:
    categories: tuple[Category, ...]
    rows: tuple[CountsRow, ...]
    totals: tuple[tuple[Category, int], ...]
    total: int


def counts_by_branch(
    programme: Programme, categories: Iterable[Category], by_path: Mapping[str, OrgUnit]
) -> CountsTable:
    """Nominations per secondary unit and category: one GROUP BY on the path prefix."""
    cats = tuple(categories)
    grouped: dict[str, dict[int, int]] = defaultdict(dict)
    rows = (
        office_nominations(programme)
        .annotate(branch=Substr("unit__path", 1, 2 * tree.STEP))
        .values_list("branch", "category_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for branch, category_id, n in rows:
        grouped[branch][category_id] = grouped[branch].get(category_id, 0) + n
    out = []
    for path in sorted(grouped):
        cells = tuple((c, grouped[path].get(c.pk, 0)) for c in cats)
        out.append(CountsRow(by_path.get(path), cells, sum(n for _, n in cells)))
    totals = tuple((c, sum(grouped[p].get(c.pk, 0) for p in grouped)) for c in cats)
    return CountsTable(cats, tuple(out), totals, sum(n for _, n in totals))


@dataclass(frozen=True)
class VettingSummary:
    approved: tuple[str, ...]
    vetoed: tuple[tuple[str, str], ...]  # (department, reason)
    missing: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.approved) + len(self.vetoed) + len(self.missing)


def vetting_summaries(programme: Programme, nominations: Iterable[Nomination]) -> dict[int, VettingSummary]:
    """Which departments approved, vetoed or are missing, for the given nominations in vetting.

    Two queries: the departments, the decisions. Nominations not yet in
    vetting get no summary.
    """
    ids = [n.pk for n in nominations if n.state in VETTING_STATES]
    if not ids:
        return {}
    departments = list(VettingDepartment.objects.filter(programme=programme).order_by("order", "pk"))
    decided: dict[int, dict[int, tuple[str, str]]] = defaultdict(dict)
    for nid, dep_id, verdict, reason in VettingDecision.objects.filter(nomination_id__in=ids).values_list(
        "nomination_id", "department_id", "verdict", "reason"
    ):
        decided[nid][dep_id] = (verdict, reason)
    out = {}
    for nid in ids:
        mine = decided.get(nid, {})
        out[nid] = VettingSummary(
            approved=tuple(d.display_name for d in departments if mine.get(d.pk, ("",))[0] == VettingVerdict.APPROVED),
            vetoed=tuple(
                (d.display_name, mine[d.pk][1])
                for d in departments
                if mine.get(d.pk, ("",))[0] == VettingVerdict.VETOED
            ),
            missing=tuple(d.display_name for d in departments if d.pk not in mine),
        )
    return out


def missing_by_department(programme: Programme) -> list[tuple[VettingDepartment, int]]:
    """For each department, how many confirmed candidates still wait for its decision: two queries."""
    confirmed = Nomination.objects.filter(programme=programme, state=NominationState.CONFIRMED)
    # Ids from the (programme, state) index, so the decisions are counted without reading nomination rows.
    departments = VettingDepartment.objects.filter(programme=programme).annotate(
        decided=Count("decisions", filter=Q(decisions__nomination_id__in=confirmed.values("pk")))
    )
    total = confirmed.count()
    return [(d, total - d.decided) for d in departments.order_by("order", "pk")]
