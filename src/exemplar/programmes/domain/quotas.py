"""Nomination quotas per unit: shared out by headcount, edited by hand, read as a table.

The quota table of a programme is one level of the unit tree
(``Programme.quota_depth``: 1 = secondary units, 2 = tertiary units, ...).

``apportion_quotas`` shares ``total`` among the units of that level by the
headcount of their subtrees (active people), with the pure largest-remainder
rule of ``programmes.domain.apportionment`` (floor of one per unit with
people; units with nobody get 0). Quotas set by hand (``is_manual``) are
kept as they are: their allocations are taken off the total first and only
what is left is shared among the other units. Rows at other levels are
removed, so the table always describes one level.

Two safety rules, both refusals that change nothing:

* No quota is ever set below what its unit has already used.
* Once nominating has opened, quotas can be changed but not added or
  removed: a new row would start at ``used = 0`` and not count what the unit
  had already sent up (the count lives in ``nominations``, which this app
  may not read), and removing one would lift a limit mid-way.

Quota rows change under row locks (the programme first, then its quotas in
id order), the same locks ``nominations.domain.quota`` takes when it counts
a nomination, so an apportionment never interleaves with a submission.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exemplar.core import clock
from exemplar.core.domain.audit import log_action
from exemplar.core.errors import DomainError
from exemplar.people.domain import tree
from exemplar.people.domain.grants import scope_paths
from exemplar.people.enums import STAFF_ROLES, PersonStatus
from exemplar.people.models import OrgUnit, Person, User
from exemplar.programmes.domain.apportionment import (
    FloorCannotHoldError,
    NobodyToApportionError,
    apportion,
)
from exemplar.programmes.models import Phase, Programme, UnitQuota

# Above this many units, headcounts are grouped over the whole level rather
# than filtered unit by unit (one long OR is slower than one scan, and
# SQLite limits expression depth).
_FILTER_UNITS_MAX = 20


@dataclass(frozen=True)
class QuotaRow:
    """One line of the quota table."""

    quota: UnitQuota
    headcount: int

    @property
    def unit(self) -> OrgUnit:
        return self.quota.unit

    @property
    def allocated(self) -> int:
        return self.quota.allocated

    @property
    def used(self) -> int:
        return self.quota.used

    @property
    def remaining(self) -> int:
        return self.quota.remaining

    @property
    def is_manual(self) -> bool:
        return self.quota.is_manual


@dataclass(frozen=True)
class QuotaTotals:
    headcount: int
    allocated: int
    used: int
    remaining: int


# --- reading --------------------------------------------------------------------


def headcounts_at_depth(depth: int, paths: Sequence[str] | None = None) -> dict[str, int]:
    """Active people in the subtree of every unit at ``depth``, keyed by unit path.

    One GROUP BY over the fixed-width path prefix of length ``(depth + 1) * STEP``.
    ``paths`` (units at that depth) narrows the scan when there are only a few.
    """
    prefix_len = (depth + 1) * tree.STEP
    people = Person.objects.filter(status=PersonStatus.ACTIVE, unit__depth__gte=depth)
    if paths is not None and len(paths) <= _FILTER_UNITS_MAX:
        where = Q(pk__in=[])
        for path in paths:
            where |= Q(unit__path__startswith=path)
        people = people.filter(where)
    rows = (
        people.annotate(prefix=Substr("unit__path", 1, prefix_len))
        .values("prefix")
        .annotate(n=Count("pk"))
        .values_list("prefix", "n")
    )
    return dict(rows)


def _rows(quotas: Iterable[UnitQuota]) -> list[QuotaRow]:
    """Attach subtree headcounts: one query per tree level present (one for a normal table)."""
    quotas = list(quotas)
    by_depth: dict[int, list[str]] = defaultdict(list)
    for quota in quotas:
        by_depth[quota.unit.depth].append(quota.unit.path)
    counts: dict[str, int] = {}
    for depth, paths in sorted(by_depth.items()):
        counts.update(headcounts_at_depth(depth, paths))
    return [QuotaRow(quota=q, headcount=counts.get(q.unit.path, 0)) for q in quotas]


def _quotas(programme: Programme) -> QuerySet[UnitQuota]:
    return UnitQuota.objects.filter(programme=programme).select_related("unit").order_by("unit__path")


def quota_table(programme: Programme) -> list[QuotaRow]:
    """Every quota of ``programme`` with headcount, allocated, used, remaining; two queries."""
    return _rows(_quotas(programme))


def quota_table_visible_to(user: User | Any, programme: Programme) -> list[QuotaRow]:
    """The rows ``user`` may see: units within the subtrees of their staff roles.

    Matches the ``programmes.view_quota`` predicate. The office and auditors
    (granted at the root) see every row; a unit's coordinator sees the units
    of their subtree.
    """
    paths = scope_paths(user, STAFF_ROLES)
    where = Q(pk__in=[])
    for path in paths:
        where |= Q(unit__path__startswith=path)
    return _rows(_quotas(programme).filter(where))


def quotas_for_units(programme: Programme, unit_ids: Iterable[int]) -> list[QuotaRow]:
    """The quota rows of exactly these units (e.g. the units a coordinator coordinates), by path.

    Units without a quota have no row. Two queries whatever the number of units.
    """
    return _rows(_quotas(programme).filter(unit_id__in=list(unit_ids)))


def quota_totals(rows: Sequence[QuotaRow]) -> QuotaTotals:
    return QuotaTotals(
        headcount=sum(r.headcount for r in rows),
        allocated=sum(r.allocated for r in rows),
        used=sum(r.used for r in rows),
        remaining=sum(r.remaining for r in rows),
    )


def quota_levels() -> list[int]:
    """The tree levels that can hold quotas: 1 (secondary units) down to the deepest active unit."""
    deepest = OrgUnit.objects.filter(is_active=True).order_by("-depth").values_list("depth", flat=True).first()
    return list(range(1, (deepest or 0) + 1))


def nominating_has_opened(programme: Programme) -> bool:
    """True once the programme has been in (or is past) a phase where units nominate or endorse."""
    nominating = list(
        Phase.objects.filter(Q(can_nominate=True) | Q(can_endorse=True), programme=programme).values_list(
            "order", "entered_at"
        )
    )
    if any(entered is not None for _, entered in nominating):
        return True
    current = programme.current_phase
    return current is not None and any(current.order >= order for order, _ in nominating)


# --- writing --------------------------------------------------------------------


def _names(units: Iterable[OrgUnit]) -> str:
    return ", ".join(u.display_name for u in units)


def _refuse_below_used(pairs: list[tuple[UnitQuota, int]]) -> None:
    """Refuse when any (quota, new allocation) would fall below what the unit has used."""
    below = [(q, new) for q, new in pairs if new < q.used]
    if not below:
        return
    if len(below) == 1:
        quota, new = below[0]
        raise DomainError(
            _("%(unit)s has already used %(used)d nominations; its quota cannot go down to %(new)d.")
            % {"unit": quota.unit.display_name, "used": quota.used, "new": new},
            code="below_used",
        )
    raise DomainError(
        _("These units have already used more nominations than the new quotas allow: %(units)s.")
        % {"units": ", ".join(f"{q.unit.display_name} ({q.used} > {new})" for q, new in below)},
        code="below_used",
    )


def _refuse_infeasible(exc: Exception, *, total: int, rest: int, manual: int) -> DomainError:
    if isinstance(exc, FloorCannotHoldError):
        message = ngettext(
            "Not enough nominations: %(units)d unit has people and needs at least one, "
            "but only %(rest)d are left to share.",
            "Not enough nominations: %(units)d units have people and each needs at least one, "
            "but only %(rest)d are left to share.",
            exc.eligible,
        ) % {"rest": rest, "units": exc.eligible}
        if manual:
            message += " " + _("(%(manual)d of the total of %(total)d are already set by hand.)") % {
                "manual": manual,
                "total": total,
            }
        return DomainError(message, code="floor_cannot_hold")
    return DomainError(
        _("No unit at this level that is not set by hand has anybody in it to share %(rest)d nominations among.")
        % {"rest": rest},
        code="nobody_to_apportion",
    )


def _lock(programme: Programme) -> tuple[Programme, dict[int, UnitQuota]]:
    programme = Programme.objects.select_for_update(of=("self",)).select_related("current_phase").get(pk=programme.pk)
    quotas = (
        UnitQuota.objects.select_for_update(of=("self",))
        .filter(programme=programme)
        .select_related("unit")
        .order_by("pk")
    )
    return programme, {q.unit_id: q for q in quotas}


def apportion_quotas(
    programme: Programme, *, depth: int, total: int, actor: User, at: datetime | None = None
) -> list[UnitQuota]:
    """Share ``total`` nominations among the units at ``depth`` by headcount; keep hand-set quotas.

    Preconditions: ``depth >= 1`` with units at that level; hand-set quotas at
    that level add up to no more than ``total``; the rest is enough for one
    per unit with people; no quota below what its unit has used; once
    nominating has opened, no quota added or removed. Side effects: writes
    the level's quotas in bulk, removes quotas at other levels, stores
    ``depth`` and ``total`` on the programme. Logs
    ``exemplar.programmes.quotas_apportioned`` once, with the whole table.
    Returns the level's quotas by unit path.
    """
    at = at or clock.now()
    if total < 0:
        raise DomainError(_("The total cannot be negative."), code="bad_total")
    if depth < 1:
        raise DomainError(_("Quotas go to units below the group: choose level 1 or deeper."), code="bad_depth")
    with transaction.atomic():
        programme, existing = _lock(programme)
        units = list(OrgUnit.objects.filter(Q(is_active=True) | Q(pk__in=list(existing)), depth=depth).order_by("path"))
        if not units:
            raise DomainError(_("There are no units at that level."), code="no_units")
        counts = headcounts_at_depth(depth)
        manual = [existing[u.pk] for u in units if u.pk in existing and existing[u.pk].is_manual]
        manual_total = sum(q.allocated for q in manual)
        rest = total - manual_total
        if rest < 0:
            raise DomainError(
                _("The quotas set by hand already add up to %(manual)d, more than the total of %(total)d.")
                % {"manual": manual_total, "total": total},
                code="manual_exceeds_total",
            )
        shared = [u for u in units if not (u.pk in existing and existing[u.pk].is_manual)]
        try:
            seats = apportion(rest, [(u.code, counts.get(u.path, 0)) for u in shared]).seats()
        except (FloorCannotHoldError, NobodyToApportionError) as exc:
            raise _refuse_infeasible(exc, total=total, rest=rest, manual=manual_total) from exc

        level_ids = {u.pk for u in units}
        removed = [q for q in existing.values() if q.unit_id not in level_ids]
        added = [u for u in shared if u.pk not in existing]
        if (removed or added) and nominating_has_opened(programme):
            raise DomainError(
                _(
                    "Nominating has opened: quotas can still be changed, but not added or removed "
                    "(%(units)s). Choose the level the quotas already have."
                )
                % {"units": _names([q.unit for q in removed] + added)},
                code="quota_set_locked",
            )
        updated = [(existing[u.pk], seats[u.code]) for u in shared if u.pk in existing]
        _refuse_below_used(updated + [(q, 0) for q in removed])

        for quota, new in updated:
            quota.allocated = new
        UnitQuota.objects.bulk_update([q for q, _ in updated], ["allocated"])
        UnitQuota.objects.bulk_create(
            UnitQuota(programme=programme, unit=u, allocated=seats[u.code], used=0, is_manual=False) for u in added
        )
        UnitQuota.objects.filter(pk__in=[q.pk for q in removed]).delete()
        programme.quota_depth, programme.quota_total = depth, total
        programme.save(update_fields=["quota_depth", "quota_total"])

        table = list(_quotas(programme))
        log_action(
            actor,
            "exemplar.programmes.quotas_apportioned",
            programme,
            {
                "depth": depth,
                "total": total,
                "manual_total": manual_total,
                "table": [
                    {
                        "unit": q.unit.code,
                        "headcount": counts.get(q.unit.path, 0),
                        "allocated": q.allocated,
                        "used": q.used,
                        "manual": q.is_manual,
                    }
                    for q in table
                ],
                "removed": [q.unit.code for q in removed],
            },
            at=at,
        )
    return table


def set_quota(
    quota_or_unit: UnitQuota | OrgUnit,
    *,
    allocated: int,
    actor: User,
    programme: Programme | None = None,
    at: datetime | None = None,
) -> UnitQuota:
    """Set one unit's allocation by hand; the quota is then kept as it is by ``apportion_quotas``.

    Takes the quota, or a unit and its ``programme`` (creating the unit's
    quota, at the programme's quota level only, and only before nominating
    opens). Refused below what the unit has used. Logs
    ``exemplar.programmes.quota_set`` with the old and new allocation.
    """
    at = at or clock.now()
    if allocated < 0:
        raise DomainError(_("A quota cannot be negative."), code="bad_allocation")
    if isinstance(quota_or_unit, UnitQuota):
        programme, unit = quota_or_unit.programme, quota_or_unit.unit
    elif programme is None:
        raise DomainError(_("Say which programme the quota belongs to."), code="programme_required")
    else:
        unit = quota_or_unit
    with transaction.atomic():
        programme, existing = _lock(programme)
        quota = existing.get(unit.pk)
        if quota is None:
            quota = _new_quota(programme, unit)
        old = None if quota.pk is None else quota.allocated
        _refuse_below_used([(quota, allocated)])
        quota.allocated, quota.is_manual = allocated, True
        if old is None:
            quota.save()
        else:
            quota.save(update_fields=["allocated", "is_manual"])
        log_action(
            actor,
            "exemplar.programmes.quota_set",
            quota,
            {"unit": unit.code, "old": old, "new": allocated},
            at=at,
        )
    return quota


def _new_quota(programme: Programme, unit: OrgUnit) -> UnitQuota:
    if unit.depth != programme.quota_depth:
        raise DomainError(
            _("%(unit)s is not at the programme's quota level (level %(depth)d).")
            % {"unit": unit.display_name, "depth": programme.quota_depth},
            code="wrong_level",
        )
    if nominating_has_opened(programme):
        raise DomainError(
            _("Nominating has opened: %(unit)s has no quota, and one cannot be added now.")
            % {"unit": unit.display_name},
            code="quota_set_locked",
        )
    return UnitQuota(programme=programme, unit=unit, allocated=0, used=0)


def unpin_quota(quota: UnitQuota, *, actor: User, at: datetime | None = None) -> UnitQuota:
    """Let the next apportionment set this quota again (its allocation stays until then).

    Logs ``exemplar.programmes.quota_unpinned``.
    """
    at = at or clock.now()
    with transaction.atomic():
        quota = UnitQuota.objects.select_for_update(of=("self",)).select_related("unit").get(pk=quota.pk)
        if not quota.is_manual:
            return quota
        quota.is_manual = False
        quota.save(update_fields=["is_manual"])
        log_action(
            actor,
            "exemplar.programmes.quota_unpinned",
            quota,
            {"unit": quota.unit.code, "allocated": quota.allocated},
            at=at,
        )
    return quota
