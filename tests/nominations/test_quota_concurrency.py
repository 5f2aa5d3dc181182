"""Quotas hold under concurrency: many simultaneous submissions never exceed a unit's quota.

Real threads, each with its own database connection, released together by a
barrier, against a committed database (``transactional_db``). On PostgreSQL
(``EXEMPLAR_TEST_DATABASE_URL``) the quota row lock (``SELECT ... FOR
UPDATE``) serialises the counting; on SQLite the IMMEDIATE transactions of
the settings make writers queue for the write lock (20 s timeout). Any other
outcome (a "database is locked" error, a deadlock) is collected and shows
in the assertion as it happened.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse

from exemplar.core.errors import DomainError
from exemplar.nominations.domain.nominations import create_nomination, endorse_nomination, submit_nomination
from exemplar.nominations.enums import NominationState
from exemplar.nominations.models import Nomination, QuotaUse
from exemplar.people.enums import Role
from exemplar.people.models import User
from exemplar.programmes.models import UnitQuota
from tests.factories.people import PersonFactory, grant, make_user
from tests.factories.programmes import make_programme

pytestmark = pytest.mark.integration

QUOTA = 3
ATTEMPTS = 10


def _coordinator(username, unit):
    user = make_user(username, person=PersonFactory(unit=unit))
    grant(user, Role.UNIT_COORDINATOR, unit)
    return user


def _drafts(programme, unit, actor, n):
    category = programme.categories.get(code="individual")
    return [
        create_nomination(
            programme=programme,
            category=category,
            unit=unit,
            person=PersonFactory(unit=unit),
            title=f"Nominee {i}",
            deeds="<p>Deeds</p>",
            actor=actor,
        )
        for i in range(n)
    ]


def _all_at_once(jobs: list[Callable[[], str]]) -> list[str]:
    """Run every job in its own thread, released together; each closes its DB connection when done."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = [""] * len(jobs)

    def run(index: int, job: Callable[[], str]) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[index] = job()
        except Exception as exc:  # every unexpected failure is reported, not hidden
            outcomes[index] = f"unexpected {type(exc).__name__}: {exc}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [t.name for t in threads if t.is_alive()] == []
    return outcomes


def test_parallel_submit_requests_never_exceed_the_units_quota(transactional_db, org):
    office = make_user("office_c", person=PersonFactory(unit=org.root))
    grant(office, Role.PROGRAMME_OFFICE, org.root)
    programme = make_programme(office)
    coordinator = _coordinator("coord_a1_c", org.a1)
    quota = UnitQuota.objects.create(programme=programme, unit=org.a1, allocated=QUOTA)
    drafts = _drafts(programme, org.a1, coordinator, ATTEMPTS)

    clients = []
    for _ in drafts:
        client = Client()
        client.force_login(coordinator)
        clients.append(client)

    def submit(client: Client, nomination: Nomination) -> Callable[[], str]:
        def job() -> str:
            response = client.post(reverse("backoffice:nomination_submit", args=[nomination.pk]))
            assert response.status_code == 302, response.status_code
            return " | ".join(str(m) for m in get_messages(response.wsgi_request))

        return job

    outcomes = _all_at_once([submit(c, n) for c, n in zip(clients, drafts, strict=True)])

    exhausted = "Unit A1 has used all 3 of its nominations in this programme."
    succeeded = sorted(o for o in outcomes if o.startswith("Submitted: "))
    assert Counter("submitted" if o.startswith("Submitted: ") else o for o in outcomes) == {
        "submitted": QUOTA,
        exhausted: ATTEMPTS - QUOTA,
    }
    assert all(o.endswith("now waits for Unit A.") for o in succeeded)
    quota.refresh_from_db()
    assert (quota.allocated, quota.used) == (QUOTA, QUOTA)
    assert QuotaUse.objects.filter(unit=org.a1).count() == QUOTA
    assert Counter(Nomination.objects.values_list("state", flat=True)) == {
        NominationState.SUBMITTED: QUOTA,
        NominationState.DRAFT: ATTEMPTS - QUOTA,
    }


def test_parallel_endorsements_by_several_coordinators_never_exceed_the_parents_quota(transactional_db, org):
    office = make_user("office_c", person=PersonFactory(unit=org.root))
    grant(office, Role.PROGRAMME_OFFICE, org.root)
    programme = make_programme(office)
    # Sub-units A1 and A2 have no quota of their own: everything they send up counts against A's.
    waiting = []
    for unit, username in ((org.a1, "coord_a1_c"), (org.a2, "coord_a2_c")):
        coordinator = _coordinator(username, unit)
        for draft in _drafts(programme, unit, coordinator, ATTEMPTS // 2):
            waiting.append(submit_nomination(draft, actor=coordinator))
    quota = UnitQuota.objects.create(programme=programme, unit=org.a, allocated=QUOTA)
    endorsers = [_coordinator(f"coord_a_{i}", org.a) for i in range(3)]

    def endorse(user_pk: int, nomination_pk: int) -> Callable[[], str]:
        def job() -> str:
            actor = User.objects.get(pk=user_pk)  # a fresh user per thread, as a request would load it
            try:
                endorse_nomination(Nomination.objects.get(pk=nomination_pk), actor=actor)
            except DomainError as exc:
                return f"refused ({exc.code}): {exc}"
            return "endorsed"

        return job

    jobs = [endorse(endorsers[i % len(endorsers)].pk, n.pk) for i, n in enumerate(waiting)]
    outcomes = _all_at_once(jobs)

    assert Counter(outcomes) == {
        "endorsed": QUOTA,
        "refused (quota_exhausted): Unit A has used all 3 of its nominations in this programme.": ATTEMPTS - QUOTA,
    }
    quota.refresh_from_db()
    assert quota.used == QUOTA
    assert QuotaUse.objects.filter(unit=org.a).count() == QUOTA
    assert Counter(Nomination.objects.values_list("state", flat=True)) == {
        NominationState.RECEIVED: QUOTA,
        NominationState.SUBMITTED: ATTEMPTS - QUOTA,
    }


def test_the_database_refuses_used_beyond_allocated(org, office_user):
    programme = make_programme(office_user)
    quota = UnitQuota.objects.create(programme=programme, unit=org.a, allocated=2, used=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitQuota.objects.filter(pk=quota.pk).update(used=F("used") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitQuota.objects.filter(pk=quota.pk).update(allocated=1)
    quota.refresh_from_db()
    assert (quota.allocated, quota.used) == (2, 2)
