"""The facts phase blockers look at, gathered from the programme and from the apps above it.

``programmes`` may not import ``nominations`` (nor any later app: reviews,
elections, notices), yet leaving a phase depends on their data: drafts
still open, candidates not yet vetted. So each of those apps registers a
*provider* in its ``AppConfig.ready()``::

    register_fact_provider("nominations", nomination_counts)

A provider takes a programme and returns counts keyed by the names in
``lifecycle`` (``COUNT_DRAFTS``, ``CANDIDATES_PREFIX + code``, ...) plus any
of its own for the dashboard. Providers run in registration order (the
order of ``INSTALLED_APPS``) and a later one may override a key: an app of
a later stage can so report ``candidates.<code>`` as it counts them (the
shortlist, say). Registration happens at start-up in every process, so the
registry holds no state another server would need.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from django.db.models import Count

from exemplar.programmes.domain.capabilities import Capability
from exemplar.programmes.domain.lifecycle import CategoryFacts, ProgrammeFacts
from exemplar.programmes.models import Phase, Programme

FactProvider = Callable[[Programme], Mapping[str, int]]
_providers: dict[str, FactProvider] = {}


def register_fact_provider(name: str, provider: FactProvider) -> None:
    """Add (or replace, when ``ready()`` runs again) the provider called ``name``."""
    _providers[name] = provider


def registered_providers() -> tuple[str, ...]:
    return tuple(_providers)


def collect_counts(programme: Programme) -> dict[str, int]:
    """Every provider's counts for ``programme``, merged in registration order."""
    counts: dict[str, int] = {}
    for provider in _providers.values():
        counts.update(provider(programme))
    return counts


def capabilities_of(phase: Phase | None) -> frozenset[str]:
    if phase is None:
        return frozenset()
    return frozenset(c.value for c in Capability if getattr(phase, c.value))


def programme_facts(programme: Programme, *, leaving: Phase | None, entering: Phase | None) -> ProgrammeFacts:
    """The set-up facts of ``programme`` (a constant number of queries) and the providers' counts."""
    categories = tuple(
        CategoryFacts(code=c.code, name=c.display_name, seats=c.seats) for c in programme.categories.all()
    )
    criteria = list(programme.criteria.annotate(n_levels=Count("levels")))
    departments = list(programme.vetting_departments.annotate(n_members=Count("members")))
    return ProgrammeFacts(
        categories=categories,
        criteria=len(criteria),
        total_weight=sum((c.weight for c in criteria), Decimal(0)),
        criteria_without_levels=tuple(c.display_name for c in criteria if c.n_levels == 0),
        phases=programme.phases.count(),
        vetting_departments=len(departments),
        departments_without_signatories=tuple(d.display_name for d in departments if d.n_members == 0),
        min_candidates_per_seat=leaving.min_candidates_per_seat if leaving is not None else None,
        next_capabilities=capabilities_of(entering),
        counts=collect_counts(programme),
    )
