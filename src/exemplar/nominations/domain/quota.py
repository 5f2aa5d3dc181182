"""Counting nominations against unit quotas, safely under concurrency.

Every unit a nomination passes through (the nominating unit on submission,
each endorsing unit on endorsement) records a ``QuotaUse``. Where the unit
has a ``UnitQuota`` row, its ``used`` counter moves with the uses, under a
row lock (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serialises
writers with IMMEDIATE transactions), and a database check constraint
refuses ``used > allocated`` as a last line of defence.
"""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _

from exemplar.core.errors import DomainError
from exemplar.nominations.models import Nomination, QuotaUse
from exemplar.people.models import OrgUnit
from exemplar.programmes.models import UnitQuota


class QuotaExhaustedError(DomainError):
    pass


def consume_quota(nomination: Nomination, unit: OrgUnit) -> None:
    """Count ``nomination`` against ``unit``'s quota; refuse when none is left.

    Must run inside the caller's transaction.
    """
    if QuotaUse.objects.filter(nomination=nomination, unit=unit).exists():
        return
    quota = UnitQuota.objects.select_for_update().filter(programme_id=nomination.programme_id, unit=unit).first()
    if quota is not None:
        if quota.used >= quota.allocated:
            raise QuotaExhaustedError(
                _("%(unit)s has used all %(n)d of its nominations in this programme.")
                % {"unit": unit.display_name, "n": quota.allocated},
                code="quota_exhausted",
            )
        UnitQuota.objects.filter(pk=quota.pk).update(used=F("used") + 1)
    QuotaUse.objects.create(nomination=nomination, unit=unit)


def release_quota(nomination: Nomination) -> list[int]:
    """Give back every quota ``nomination`` holds; returns the unit ids released.

    Locks quota rows in id order so concurrent releases cannot deadlock.
    """
    unit_ids = sorted(QuotaUse.objects.filter(nomination=nomination).values_list("unit_id", flat=True))
    if not unit_ids:
        return []
    quotas = list(
        UnitQuota.objects.select_for_update()
        .filter(programme_id=nomination.programme_id, unit_id__in=unit_ids)
        .order_by("pk")
    )
    for quota in quotas:
        UnitQuota.objects.filter(pk=quota.pk, used__gt=0).update(used=F("used") - 1)
    QuotaUse.objects.filter(nomination=nomination).delete()
    return unit_ids
