"""Nominations in a chosen state for screening and vetting tests, and vetting signatories.

``received`` goes the real way (created and submitted through the domain by
a secondary unit's coordinator, so it lands at the office and its checks
run); ``dossier`` writes a row directly in any state, for lists and
selectors that only read.
"""

from __future__ import annotations

from django.utils import timezone

from exemplar.nominations.domain.nominations import create_nomination, submit_nomination
from exemplar.nominations.enums import NominationState
from exemplar.nominations.models import Nomination
from exemplar.people.enums import Role
from exemplar.people.models import OrgUnit, Person, Team, User
from exemplar.programmes.enums import PhaseKind
from exemplar.programmes.models import Programme, VettingDepartment
from tests.factories.people import PersonFactory, grant, make_user
from tests.factories.programmes import set_phase


def received(
    programme: Programme, coordinator: User, unit: OrgUnit, *, person: Person | None = None, team: Team | None = None
) -> Nomination:
    """Nominated by ``unit`` (a secondary unit, so submitting sends it straight to the office)."""
    phase = programme.current_phase
    if phase is None or not phase.can_nominate:
        set_phase(programme, PhaseKind.NOMINATION)
    category = programme.categories.get(code="team" if team else "individual")
    nomination = create_nomination(
        programme=programme,
        category=category,
        unit=unit,
        person=person,
        team=team,
        title="Zero defects for ten years",
        deeds="<p>Ten years without a defect.</p>",
        actor=coordinator,
    )
    return submit_nomination(nomination, actor=coordinator)


def dossier(
    programme: Programme,
    unit: OrgUnit,
    *,
    person: Person | None = None,
    team: Team | None = None,
    state: str = NominationState.RECEIVED,
    created_by: User,
    eligibility: list | None = None,
    duplicates: list | None = None,
) -> Nomination:
    if person is None and team is None:
        person = PersonFactory(unit=unit)
    category = programme.categories.get(code="team" if team else "individual")
    now = timezone.now()
    nomination = Nomination.objects.create(
        programme=programme,
        category=category,
        reference=f"tmp-{now.timestamp()}-{Nomination.objects.count()}",
        person=person,
        team=team,
        unit=unit,
        state=state,
        title="Headline",
        deeds="<p>Deeds</p>",
        eligibility=eligibility or [],
        duplicates=duplicates or [],
        checked_at=now,
        created_by=created_by,
        created_at=now,
        updated_at=now,
        submitted_at=now,
    )
    nomination.reference = f"{programme.year}-{category.code.upper()}-{nomination.pk:05d}"
    nomination.save(update_fields=["reference"])
    return nomination


def signatory(username: str, department: VettingDepartment, unit: OrgUnit) -> User:
    """An account with the vetting role that signs for ``department``."""
    user = make_user(username, person=PersonFactory(unit=unit))
    grant(user, Role.VETTING, unit)
    department.members.add(user)
    return user


BLOCKER = {"code": "service_too_short", "severity": "blocker", "params": {"years": 2, "required": 5}}
WARNING = {
    "code": "not_active",
    "severity": "warning",
    "params": {"status": "left", "member_id": 1, "member": "队员", "member_en": "Member"},
}
