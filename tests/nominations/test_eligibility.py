"""The eligibility rules and duplicate detection, pure: plain facts in, findings out."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exemplar.nominations.domain import eligibility
from exemplar.nominations.domain.eligibility import (
    Code,
    DuplicateCode,
    DuplicateFinding,
    EligibilityRules,
    Finding,
    HonourRecord,
    NomineeFacts,
    NomineeRef,
    PersonFacts,
    Severity,
    check_eligibility,
    find_duplicates,
    full_years,
    years_before,
)

pytestmark = pytest.mark.unit

ON = date(2026, 3, 1)
STRICT = EligibilityRules(
    category_code="individual",
    programme_year=2026,
    min_service_years=5,
    require_active=True,
    disciplinary_window_years=3,
    honour_window_years=3,
)
LENIENT = EligibilityRules(category_code="individual", programme_year=2026, require_active=False)


def _person(pid: int = 1, **kw) -> PersonFacts:
    defaults = {"hire_date": date(2010, 1, 1), "status": "active"}
    return PersonFacts(person_id=pid, name=f"员工{pid}", name_en=f"Employee {pid}", **{**defaults, **kw})


def test_a_good_candidate_has_no_findings():
    assert check_eligibility(NomineeFacts(person=_person()), STRICT, on=ON) == []


def test_each_rule_in_words_of_codes():
    person = _person(
        hire_date=date(2023, 3, 2),
        status="left",
        disciplinary_date=date(2023, 3, 1),
        honours=(
            HonourRecord("individual", 2023),
            HonourRecord("individual", 2022),  # outside the 3-year window
            HonourRecord("individual", 2025, revoked=True),  # revoked: does not count
            HonourRecord("team", 2025),  # another category
        ),
    )
    assert check_eligibility(NomineeFacts(person=person), STRICT, on=ON) == [
        Finding(Code.SERVICE_TOO_SHORT, {"years": 2, "required": 5}),
        Finding(Code.NOT_ACTIVE, {"status": "left"}),
        Finding(Code.DISCIPLINARY_RECORD, {"date": "2023-03-01", "window": 3}),
        Finding(Code.HONOURED_RECENTLY, {"year": 2023, "window": 3}),
    ]


def test_boundaries():
    # Five years of service reached on the anniversary; a record exactly N years old still counts, a day older not.
    assert check_eligibility(NomineeFacts(person=_person(hire_date=date(2021, 3, 1))), STRICT, on=ON) == []
    assert check_eligibility(NomineeFacts(person=_person(hire_date=date(2021, 3, 2))), STRICT, on=ON) == [
        Finding(Code.SERVICE_TOO_SHORT, {"years": 4, "required": 5})
    ]
    assert [
        f.code
        for f in check_eligibility(NomineeFacts(person=_person(disciplinary_date=date(2023, 3, 1))), STRICT, on=ON)
    ] == [Code.DISCIPLINARY_RECORD]
    assert check_eligibility(NomineeFacts(person=_person(disciplinary_date=date(2023, 2, 28))), STRICT, on=ON) == []


def test_unknown_hire_date_is_a_finding_when_service_is_checked():
    nominee = NomineeFacts(person=_person(hire_date=None))
    assert check_eligibility(nominee, STRICT, on=ON) == [Finding(Code.SERVICE_UNKNOWN, {"required": 5})]
    assert check_eligibility(nominee, LENIENT, on=ON) == []


def test_team_blocked_only_by_its_own_honour_members_give_warnings():
    rules = EligibilityRules(
        category_code="team",
        programme_year=2026,
        min_service_years=5,
        disciplinary_window_years=3,
        honour_window_years=3,
    )
    members = (_person(2, status="retired"), _person(1), _person(3, hire_date=None))
    team = NomineeFacts(team_honours=(HonourRecord("team", 2024),), members=members)
    assert check_eligibility(team, rules, on=ON) == [
        Finding(Code.HONOURED_RECENTLY, {"year": 2024, "window": 3}),
        Finding(
            Code.NOT_ACTIVE,
            {"status": "retired", "member_id": 2, "member": "员工2", "member_en": "Employee 2"},
            Severity.WARNING,
        ),
        Finding(
            Code.SERVICE_UNKNOWN,
            {"required": 5, "member_id": 3, "member": "员工3", "member_en": "Employee 3"},
            Severity.WARNING,
        ),
    ]
    assert check_eligibility(NomineeFacts(members=members[1:2]), rules, on=ON) == []
    assert check_eligibility(NomineeFacts(), rules, on=ON) == [Finding(Code.NO_MEMBERS, {}, Severity.WARNING)]


def test_findings_store_as_json():
    assert Finding(Code.NOT_ACTIVE, {"status": "left"}).as_json() == {
        "code": "not_active",
        "severity": "blocker",
        "params": {"status": "left"},
    }


def test_date_helpers():
    assert full_years(date(2020, 2, 29), date(2021, 2, 28)) == 0
    assert full_years(date(2020, 2, 29), date(2021, 3, 1)) == 1
    assert full_years(date(2030, 1, 1), ON) == 0
    assert years_before(date(2024, 2, 29), 1) == date(2023, 2, 28)


def test_the_module_imports_no_django():
    code = (
        "import sys, exemplar.nominations.domain.eligibility; print(any(m.startswith('django') for m in sys.modules))"
    )
    src = str(Path(eligibility.__file__).parents[3])
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": src}
    )
    assert out.stdout.strip() == "False"


# --- duplicates ---------------------------------------------------------------------------------


def _ref(nid, *, person=None, team=None, members=()):
    return NomineeRef(nid, f"R{nid}", person, team, frozenset(members))


def test_the_three_kinds_of_duplicate():
    refs = [
        _ref(1, person=10),
        _ref(2, person=10),  # same person twice
        _ref(3, team=5, members=(10, 11)),  # person 10 inside a nominated team
        _ref(4, team=5, members=(10, 11)),  # same team twice
        _ref(5, person=12),  # nobody else
        _ref(6, team=6, members=(11, 13)),  # shares member 11 with team 5: not a duplicate
    ]
    same_p, in_team, alone, same_t = (
        DuplicateCode.SAME_PERSON,
        DuplicateCode.PERSON_IN_TEAM,
        DuplicateCode.MEMBER_NOMINATED_ALONE,
        DuplicateCode.SAME_TEAM,
    )
    assert find_duplicates(refs) == {
        1: [
            DuplicateFinding(same_p, 2, "R2", 10),
            DuplicateFinding(in_team, 3, "R3", 10),
            DuplicateFinding(in_team, 4, "R4", 10),
        ],
        2: [
            DuplicateFinding(same_p, 1, "R1", 10),
            DuplicateFinding(in_team, 3, "R3", 10),
            DuplicateFinding(in_team, 4, "R4", 10),
        ],
        3: [
            DuplicateFinding(alone, 1, "R1", 10),
            DuplicateFinding(alone, 2, "R2", 10),
            DuplicateFinding(same_t, 4, "R4", None),
        ],
        4: [
            DuplicateFinding(alone, 1, "R1", 10),
            DuplicateFinding(alone, 2, "R2", 10),
            DuplicateFinding(same_t, 3, "R3", None),
        ],
    }


def test_no_nominations_no_duplicates():
    assert find_duplicates([]) == {}


# --- properties -----------------------------------------------------------------------------------

dates = st.dates(min_value=date(1960, 1, 1), max_value=date(2040, 12, 31))
honours = st.builds(HonourRecord, st.sampled_from(["individual", "team"]), st.integers(2000, 2030), st.booleans())
people = st.builds(
    PersonFacts,
    person_id=st.integers(1, 50),
    hire_date=st.none() | dates,
    status=st.sampled_from(["active", "retired", "left"]),
    disciplinary_date=st.none() | dates,
    honours=st.lists(honours, max_size=4).map(tuple),
)
rule_sets = st.builds(
    EligibilityRules,
    category_code=st.sampled_from(["individual", "team"]),
    programme_year=st.integers(2010, 2035),
    min_service_years=st.none() | st.integers(0, 30),
    require_active=st.booleans(),
    disciplinary_window_years=st.none() | st.integers(0, 10),
    honour_window_years=st.none() | st.integers(0, 10),
)
nominees = st.one_of(
    st.builds(NomineeFacts, person=people),
    st.builds(
        NomineeFacts,
        team_honours=st.lists(honours, max_size=3).map(tuple),
        members=st.lists(people, max_size=5).map(tuple),
    ),
)


@given(nominees, rule_sets, dates)
def test_blockers_come_first_and_team_members_only_warn(nominee, rules, on):
    found = check_eligibility(nominee, rules, on=on)
    severities = [f.severity for f in found]
    assert severities == sorted(severities, key=lambda s: s != Severity.BLOCKER)
    if nominee.is_team:
        assert {f.code for f in found if f.severity == Severity.BLOCKER} <= {Code.HONOURED_RECENTLY}
        assert all(
            "member_id" in f.params for f in found if f.severity == Severity.WARNING and f.code != Code.NO_MEMBERS
        )


@given(nominees, rule_sets, dates)
def test_revoked_honours_never_count(nominee, rules, on):
    def unrevoked(hs):
        return tuple(h for h in hs if not h.revoked)

    if nominee.person is not None:
        stripped = NomineeFacts(
            person=PersonFacts(**{**nominee.person.__dict__, "honours": unrevoked(nominee.person.honours)})
        )
    else:
        stripped = NomineeFacts(team_honours=unrevoked(nominee.team_honours), members=nominee.members)
    assert check_eligibility(nominee, rules, on=on) == check_eligibility(stripped, rules, on=on)


@given(nominees, st.integers(2000, 2030), dates)
def test_no_rules_no_findings(nominee, year, on):
    rules = EligibilityRules(category_code="individual", programme_year=year, require_active=False)
    assert [f for f in check_eligibility(nominee, rules, on=on) if f.code != Code.NO_MEMBERS] == []


@given(people, rule_sets, dates, st.integers(1, 4000))
def test_waiting_never_adds_a_service_finding(person, rules, on, days):
    later = on + timedelta(days=days)

    def service(day):
        return [
            f for f in check_eligibility(NomineeFacts(person=person), rules, on=day) if f.code == Code.SERVICE_TOO_SHORT
        ]

    if not service(on):
        assert service(later) == []


refs = st.lists(
    st.one_of(
        st.builds(lambda p: ("p", p, frozenset()), st.integers(1, 8)),
        st.builds(lambda t, m: ("t", t, frozenset(m)), st.integers(1, 4), st.sets(st.integers(1, 8), max_size=4)),
    ),
    max_size=12,
)


def _refs(raw):
    return [
        _ref(i, person=v if kind == "p" else None, team=v if kind == "t" else None, members=m)
        for i, (kind, v, m) in enumerate(raw, start=1)
    ]


MIRROR = {
    DuplicateCode.SAME_PERSON: DuplicateCode.SAME_PERSON,
    DuplicateCode.SAME_TEAM: DuplicateCode.SAME_TEAM,
    DuplicateCode.PERSON_IN_TEAM: DuplicateCode.MEMBER_NOMINATED_ALONE,
    DuplicateCode.MEMBER_NOMINATED_ALONE: DuplicateCode.PERSON_IN_TEAM,
}


@given(refs)
@settings(max_examples=200)
def test_duplicates_are_symmetric_and_never_self(raw):
    found = find_duplicates(_refs(raw))
    for nid, items in found.items():
        assert items
        for d in items:
            assert d.other_id != nid
            assert any(back.other_id == nid and back.code == MIRROR[d.code] for back in found[d.other_id])


@given(refs, st.randoms())
def test_duplicates_do_not_depend_on_order(raw, rnd):
    nominations = _refs(raw)
    shuffled = list(nominations)
    rnd.shuffle(shuffled)
    assert find_duplicates(shuffled) == find_duplicates(nominations)


@given(refs)
def test_a_duplicate_shares_a_nominee(raw):
    nominations = {r.nomination_id: r for r in _refs(raw)}
    for nid, items in find_duplicates(list(nominations.values())).items():
        me = nominations[nid]
        for d in items:
            other = nominations[d.other_id]
            mine = {me.person_id} if me.person_id else set(me.member_ids)
            theirs = {other.person_id} if other.person_id else set(other.member_ids)
            assert (me.team_id is not None and me.team_id == other.team_id) or (
                (me.person_id or other.person_id) and mine & theirs
            )
