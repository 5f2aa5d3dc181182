"""Eligibility rules and duplicate detection (pure: no Django).

Plain facts in, frozen findings out; ``domain.screening`` gathers the facts
from the database in bulk and stores the findings on each nomination.

Individuals are checked against every rule of their category. A team is
eligible unless the team itself was honoured in the same category within the
window; its members are checked against the person rules too, but their
findings are *warnings* (the office weighs them: one member who left last
month does not disqualify a team of twelve), never blockers.

Blocking findings always come first in the returned list, so a stored list's
first element tells whether the nominee has any blocker (the office
dashboard filters on it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    BLOCKER = "blocker"
    WARNING = "warning"


class Code(StrEnum):
    SERVICE_UNKNOWN = "service_unknown"
    SERVICE_TOO_SHORT = "service_too_short"
    NOT_ACTIVE = "not_active"
    DISCIPLINARY_RECORD = "disciplinary_record"
    HONOURED_RECENTLY = "honoured_recently"
    NO_MEMBERS = "no_members"


class DuplicateCode(StrEnum):
    SAME_PERSON = "same_person"  # the same person is nominated in another nomination
    SAME_TEAM = "same_team"  # the same team is nominated in another nomination
    PERSON_IN_TEAM = "person_in_team"  # this person is a member of a team nominated elsewhere
    MEMBER_NOMINATED_ALONE = "member_nominated_alone"  # a member of this team is nominated alone elsewhere


@dataclass(frozen=True)
class HonourRecord:
    category_code: str
    year: int
    revoked: bool = False


@dataclass(frozen=True)
class PersonFacts:
    person_id: int
    name: str = ""
    name_en: str = ""
    hire_date: date | None = None
    status: str = "active"
    disciplinary_date: date | None = None
    honours: tuple[HonourRecord, ...] = ()

    @property
    def is_active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class NomineeFacts:
    """A nominated person (``person`` set) or team (``team_honours`` and ``members``)."""

    person: PersonFacts | None = None
    team_honours: tuple[HonourRecord, ...] = ()
    members: tuple[PersonFacts, ...] = ()

    @property
    def is_team(self) -> bool:
        return self.person is None


@dataclass(frozen=True)
class EligibilityRules:
    """A category's rules; ``None`` switches a check off."""

    category_code: str
    programme_year: int
    min_service_years: int | None = None
    require_active: bool = True
    disciplinary_window_years: int | None = None
    honour_window_years: int | None = None


@dataclass(frozen=True)
class Finding:
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: Severity = Severity.BLOCKER

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "severity": str(self.severity), "params": dict(self.params)}


@dataclass(frozen=True)
class NomineeRef:
    """What duplicate detection needs to know of one standing nomination."""

    nomination_id: int
    reference: str
    person_id: int | None = None
    team_id: int | None = None
    member_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class DuplicateFinding:
    code: str
    other_id: int
    other_reference: str
    person_id: int | None = None  # the person the two nominations share


def full_years(start: date, on: date) -> int:
    """Whole years from ``start`` to ``on`` (anniversary reached counts), never negative."""
    years = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
    return max(0, years)


def years_before(on: date, years: int) -> date:
    """The same day ``years`` years earlier (29 February falls back to the 28th)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def _person_findings(person: PersonFacts, rules: EligibilityRules, on: date) -> list[Finding]:
    found: list[Finding] = []
    if rules.min_service_years is not None:
        if person.hire_date is None:
            found.append(Finding(Code.SERVICE_UNKNOWN, {"required": rules.min_service_years}))
        else:
            years = full_years(person.hire_date, on)
            if years < rules.min_service_years:
                found.append(Finding(Code.SERVICE_TOO_SHORT, {"years": years, "required": rules.min_service_years}))
    if rules.require_active and not person.is_active:
        found.append(Finding(Code.NOT_ACTIVE, {"status": person.status}))
    if rules.disciplinary_window_years is not None and person.disciplinary_date is not None:
        cutoff = years_before(on, rules.disciplinary_window_years)
        if person.disciplinary_date >= cutoff:
            found.append(
                Finding(
                    Code.DISCIPLINARY_RECORD,
                    {"date": person.disciplinary_date.isoformat(), "window": rules.disciplinary_window_years},
                )
            )
    return found


def _honour_findings(honours: Iterable[HonourRecord], rules: EligibilityRules) -> list[Finding]:
    """Honours of the same category code within the window; revoked honours do not count.

    An honour of year Y counts while ``programme_year - Y <= window``: with a
    3-year window, the 2026 programme excludes those honoured in 2023-2026.
    """
    window = rules.honour_window_years
    if window is None:
        return []
    years = sorted(
        {
            h.year
            for h in honours
            if not h.revoked and h.category_code == rules.category_code and rules.programme_year - h.year <= window
        },
        reverse=True,
    )
    return [Finding(Code.HONOURED_RECENTLY, {"year": year, "window": window}) for year in years]


def _as_member_warning(finding: Finding, member: PersonFacts) -> Finding:
    params = {**finding.params, "member_id": member.person_id, "member": member.name, "member_en": member.name_en}
    return Finding(finding.code, params, Severity.WARNING)


def check_eligibility(nominee: NomineeFacts, rules: EligibilityRules, *, on: date) -> list[Finding]:
    """Every rule ``nominee`` fails on day ``on``: blockers first, then warnings (members of a team)."""
    if nominee.person is not None:
        person = nominee.person
        return _person_findings(person, rules, on) + _honour_findings(person.honours, rules)
    found = _honour_findings(nominee.team_honours, rules)
    if not nominee.members:
        found.append(Finding(Code.NO_MEMBERS, {}, Severity.WARNING))
    for member in sorted(nominee.members, key=lambda m: m.person_id):
        found.extend(_as_member_warning(f, member) for f in _person_findings(member, rules, on))
    return found


def _index(nominations: list[NomineeRef]) -> tuple[dict[int, list[NomineeRef]], ...]:
    """Nominations by nominated person, by nominated team, and by team member."""
    by_person: dict[int, list[NomineeRef]] = defaultdict(list)
    by_team: dict[int, list[NomineeRef]] = defaultdict(list)
    in_team: dict[int, list[NomineeRef]] = defaultdict(list)
    for ref in nominations:
        if ref.person_id is not None:
            by_person[ref.person_id].append(ref)
        if ref.team_id is not None:
            by_team[ref.team_id].append(ref)
            for member in ref.member_ids:
                in_team[member].append(ref)
    return by_person, by_team, in_team


def _pairs(
    group: list[NomineeRef], code: DuplicateCode, person_id: int | None
) -> Iterable[tuple[int, DuplicateFinding]]:
    for a in group:
        for b in group:
            if a.nomination_id != b.nomination_id:
                yield a.nomination_id, DuplicateFinding(code, b.nomination_id, b.reference, person_id)


def _alone_and_in_team(
    alone_group: list[NomineeRef], team_group: list[NomineeRef], person_id: int
) -> Iterable[tuple[int, DuplicateFinding]]:
    for alone in alone_group:
        for team_nom in team_group:
            if team_nom.nomination_id != alone.nomination_id:
                code, member = DuplicateCode.PERSON_IN_TEAM, DuplicateCode.MEMBER_NOMINATED_ALONE
                yield alone.nomination_id, DuplicateFinding(code, team_nom.nomination_id, team_nom.reference, person_id)
                yield team_nom.nomination_id, DuplicateFinding(member, alone.nomination_id, alone.reference, person_id)


def find_duplicates(nominations: list[NomineeRef]) -> dict[int, list[DuplicateFinding]]:
    """For each nomination with a duplicate, what it duplicates; nominations without any are absent.

    Findings are symmetric: when A names B as the same person, B names A;
    when person A sits in team nomination B (``PERSON_IN_TEAM``), B names A
    as ``MEMBER_NOMINATED_ALONE``. A person in two nominated teams is no
    duplicate (teams overlap). Lists are ordered by the other's id.
    """
    by_person, by_team, in_team = _index(nominations)
    found: dict[int, set[DuplicateFinding]] = defaultdict(set)
    for person_id, group in by_person.items():
        for nid, finding in _pairs(group, DuplicateCode.SAME_PERSON, person_id):
            found[nid].add(finding)
        for nid, finding in _alone_and_in_team(group, in_team.get(person_id, []), person_id):
            found[nid].add(finding)
    for group in by_team.values():
        for nid, finding in _pairs(group, DuplicateCode.SAME_TEAM, None):
            found[nid].add(finding)
    return {nid: sorted(items, key=lambda d: (d.other_id, d.code, d.person_id or 0)) for nid, items in found.items()}
