"""What the programme's current phase allows: permission predicates and domain verbs read this."""

from __future__ import annotations

from enum import StrEnum

from exemplar.programmes.models import Programme


class Capability(StrEnum):
    NOMINATE = "can_nominate"
    ENDORSE = "can_endorse"
    SCREEN = "can_screen"
    VET = "can_vet"
    REVIEW = "can_review"
    VOTE = "can_vote"
    OBJECT = "can_object"


def phase_allows(programme: Programme, capability: Capability) -> bool:
    phase = programme.current_phase
    return bool(phase is not None and getattr(phase, capability.value))
