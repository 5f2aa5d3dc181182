"""The nominations' counts that phase blockers and the programme dashboard read.

Registered with ``programmes.domain.facts`` in ``NominationsConfig.ready()``,
since the programmes app may not import this one.
"""

from __future__ import annotations

from django.db.models import Count

from exemplar.nominations.enums import NominationState
from exemplar.nominations.models import Nomination
from exemplar.programmes.domain.lifecycle import (
    CANDIDATES_PREFIX,
    COUNT_DRAFTS,
    COUNT_NOT_SCREENED,
    COUNT_NOT_VETTED,
    COUNT_WAITING,
)
from exemplar.programmes.models import Programme

# Still in the running once the office has them. While a phase's own work is
# unfinished its blockers stop the move, so when those are clear this is
# exactly the phase's outcome: received after nomination, confirmed after
# screening, cleared after vetting.
IN_THE_RUNNING = frozenset({NominationState.RECEIVED, NominationState.CONFIRMED, NominationState.APPROVED})
STATE_PREFIX = "nominations.state."


def nomination_counts(programme: Programme) -> dict[str, int]:
    """Counts by state (``nominations.state.<state>``), the blockers' counts and candidates per category.

    Two queries whatever the number of nominations.
    """
    by_state: dict[str, int] = dict.fromkeys(NominationState.values, 0)
    counts: dict[str, int] = {CANDIDATES_PREFIX + code: 0 for code in _category_codes(programme)}
    rows = (
        Nomination.objects.filter(programme=programme)
        .values_list("state", "category__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for state, code, n in rows:
        by_state[state] += n
        if state in IN_THE_RUNNING:
            counts[CANDIDATES_PREFIX + code] = counts.get(CANDIDATES_PREFIX + code, 0) + n
    counts.update({STATE_PREFIX + state: n for state, n in by_state.items()})
    counts[COUNT_DRAFTS] = by_state[NominationState.DRAFT] + by_state[NominationState.RETURNED]
    counts[COUNT_WAITING] = by_state[NominationState.SUBMITTED]
    counts[COUNT_NOT_SCREENED] = by_state[NominationState.RECEIVED]
    counts[COUNT_NOT_VETTED] = _not_vetted(programme) if by_state[NominationState.CONFIRMED] else 0
    return counts


def _category_codes(programme: Programme) -> list[str]:
    return list(programme.categories.values_list("code", flat=True))


def _not_vetted(programme: Programme) -> int:
    """Confirmed candidates that some vetting department has not yet decided on."""
    departments = programme.vetting_departments.count()
    return (
        Nomination.objects.filter(programme=programme, state=NominationState.CONFIRMED)
        .annotate(decided=Count("vetting_decisions"))
        .filter(decided__lt=departments)
        .count()
    )
