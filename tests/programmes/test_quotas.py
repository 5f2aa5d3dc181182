"""Quota orchestration: apportioning by headcount, hand edits, refusals that change nothing, the table."""

from __future__ import annotations

import pytest

from exemplar.core.domain.audit import verify_chain
from exemplar.core.errors import DomainError
from exemplar.core.models import AuditEntry
from exemplar.people.enums import PersonStatus, Role
from exemplar.programmes.domain.quotas import (
    QuotaTotals,
    apportion_quotas,
    nominating_has_opened,
    quota_levels,
    quota_table,
    quota_table_visible_to,
    quota_totals,
    quotas_for_units,
    set_quota,
    unpin_quota,
)
from exemplar.programmes.enums import PhaseKind
from exemplar.programmes.models import Programme, UnitQuota
from tests.factories.people import PersonFactory, grant, make_unit, make_user
from tests.factories.programmes import make_programme, set_phase

pytestmark = pytest.mark.integration


@pytest.fixture
def programme(office_user):
    return make_programme(office_user, phase=PhaseKind.SETUP)


@pytest.fixture
def people(org):
    """A: 6 active (4 in A1, 2 in A2) and 1 retired; B: 3 active in B1. Office's own person sits at the root."""
    PersonFactory.create_batch(4, unit=org.a1)
    PersonFactory.create_batch(2, unit=org.a2)
    PersonFactory(unit=org.a1, status=PersonStatus.RETIRED)
    PersonFactory.create_batch(3, unit=org.b1)


def _table(programme):
    return {q.unit.code: (q.allocated, q.used, q.is_manual) for q in programme.quotas.select_related("unit")}


def _snapshot(programme):
    programme = Programme.objects.get(pk=programme.pk)
    return _table(programme), programme.quota_depth, programme.quota_total, AuditEntry.objects.count()


def test_apportions_by_subtree_headcount_and_audits_the_table(org, programme, people, office_user):
    quotas = apportion_quotas(programme, depth=1, total=6, actor=office_user)
    # Exact shares 6 * 6/9 = 4 and 6 * 3/9 = 2; the retired person does not count.
    assert [(q.unit, q.allocated, q.used, q.is_manual) for q in quotas] == [
        (org.a, 4, 0, False),
        (org.b, 2, 0, False),
    ]
    programme.refresh_from_db()
    assert (programme.quota_depth, programme.quota_total) == (1, 6)
    entries = list(AuditEntry.objects.filter(action="exemplar.programmes.quotas_apportioned"))
    assert [(e.object_id, e.data) for e in entries] == [
        (
            str(programme.pk),
            {
                "depth": 1,
                "total": 6,
                "manual_total": 0,
                "table": [
                    {"unit": "A", "headcount": 6, "allocated": 4, "used": 0, "manual": False},
                    {"unit": "B", "headcount": 3, "allocated": 2, "used": 0, "manual": False},
                ],
                "removed": [],
            },
        )
    ]
    assert verify_chain().ok


def test_units_without_people_get_a_zero_quota_and_the_floor_lifts_small_ones(org, programme, people, office_user):
    PersonFactory.create_batch(30, unit=org.a1)  # A1 34, A2 2, B1 3
    apportion_quotas(programme, depth=2, total=4, actor=office_user)
    assert _table(programme) == {"A1": (2, 0, False), "A2": (1, 0, False), "B1": (1, 0, False)}
    make_unit("B2", org.b)  # nobody in it
    apportion_quotas(programme, depth=2, total=5, actor=office_user)
    assert _table(programme) == {"A1": (3, 0, False), "A2": (1, 0, False), "B1": (1, 0, False), "B2": (0, 0, False)}


def test_hand_set_quotas_are_kept_and_the_rest_is_shared(org, programme, people, office_user):
    make_unit("C", org.root)
    PersonFactory.create_batch(3, unit=make_unit("C1", org.root.children.get(code="C")))
    apportion_quotas(programme, depth=1, total=6, actor=office_user)
    assert _table(programme) == {"A": (3, 0, False), "B": (2, 0, False), "C": (1, 0, False)}

    quota_a = UnitQuota.objects.get(programme=programme, unit=org.a)
    set_quota(quota_a, allocated=1, actor=office_user)
    apportion_quotas(programme, depth=1, total=7, actor=office_user)
    # A keeps its 1; the other 6 are shared by B and C (3 people each).
    assert _table(programme) == {"A": (1, 0, True), "B": (3, 0, False), "C": (3, 0, False)}
    entry = AuditEntry.objects.filter(action="exemplar.programmes.quotas_apportioned").order_by("seq").last()
    assert (entry.data["total"], entry.data["manual_total"]) == (7, 1)

    unpin_quota(quota_a, actor=office_user)
    apportion_quotas(programme, depth=1, total=7, actor=office_user)
    # 3.5, 1.75, 1.75: whole parts 3, 1, 1; the two seats left go to the .75 remainders.
    assert _table(programme) == {"A": (3, 0, False), "B": (2, 0, False), "C": (2, 0, False)}
    assert list(
        AuditEntry.objects.filter(action__startswith="exemplar.programmes.quota_")
        .order_by("seq")
        .values_list("action", "data")
    ) == [
        ("exemplar.programmes.quota_set", {"unit": "A", "old": 3, "new": 1}),
        ("exemplar.programmes.quota_unpinned", {"unit": "A", "allocated": 1}),
    ]


def test_apportioning_below_what_a_unit_used_is_refused_and_changes_nothing(org, programme, people, office_user):
    apportion_quotas(programme, depth=1, total=6, actor=office_user)
    UnitQuota.objects.filter(unit=org.b).update(used=2)
    before = _snapshot(programme)
    with pytest.raises(DomainError) as caught:
        apportion_quotas(programme, depth=1, total=3, actor=office_user)  # would give B 1
    assert str(caught.value) == "Unit B has already used 2 nominations; its quota cannot go down to 1."
    assert caught.value.code == "below_used"
    assert _snapshot(programme) == before


def test_several_units_below_used_are_all_named(org, programme, people, office_user):
    apportion_quotas(programme, depth=2, total=6, actor=office_user)
    assert _table(programme) == {"A1": (3, 0, False), "A2": (1, 0, False), "B1": (2, 0, False)}
    UnitQuota.objects.filter(unit__in=[org.a1, org.b1]).update(used=2)
    before = _snapshot(programme)
    with pytest.raises(DomainError) as caught:
        apportion_quotas(programme, depth=2, total=3, actor=office_user)
    assert str(caught.value) == (
        "These units have already used more nominations than the new quotas allow: Unit A1 (2 > 1), Unit B1 (2 > 1)."
    )
    assert _snapshot(programme) == before


def test_hand_edit_below_used_is_refused_and_changes_nothing(org, programme, people, office_user):
    apportion_quotas(programme, depth=1, total=6, actor=office_user)
    quota = UnitQuota.objects.get(programme=programme, unit=org.a)
    UnitQuota.objects.filter(pk=quota.pk).update(used=3)
    before = _snapshot(programme)
    with pytest.raises(DomainError) as caught:
        set_quota(quota, allocated=2, actor=office_user)
    assert str(caught.value) == "Unit A has already used 3 nominations; its quota cannot go down to 2."
    assert _snapshot(programme) == before

    set_quota(quota, allocated=3, actor=office_user)  # down to exactly what is used is fine
    assert _table(programme)["A"] == (3, 3, True)


@pytest.mark.parametrize(
    ("depth", "total", "message"),
    [
        (
            1,
            1,
            "Not enough nominations: 2 units have people and each needs at least one, but only 1 are left to share.",
        ),
        (0, 5, "Quotas go to units below the group: choose level 1 or deeper."),
        (3, 5, "There are no units at that level."),
        (1, -1, "The total cannot be negative."),
    ],
    ids=["floor cannot hold", "root level", "no such level", "negative"],
)
@pytest.mark.usefixtures("people")
def test_impossible_apportionments_are_refused(programme, office_user, depth, total, message):
    before = _snapshot(programme)
    with pytest.raises(DomainError) as caught:
        apportion_quotas(programme, depth=depth, total=total, actor=office_user)
    assert str(caught.value) == message
    assert _snapshot(programme) == before


def test_hand_set_quotas_above_the_total_are_refused(org, programme, people, office_user):
    apportion_quotas(programme, depth=1, total=6, actor=office_user)
    set_quota(UnitQuota.objects.get(unit=org.a), allocated=5, actor=office_user)
    before = _snapshot(programme)
    with pytest.raises(DomainError) as caught:
        apportion_quotas(programme, depth=1, total=4, actor=office_user)
    assert str(caught.value) == "The quotas set by hand already add up to 5, more than the total of 4."
    with pytest.raises(DomainError) as caught:
        apportion_quotas(programme, depth=1, total=5, actor=office_user)  # nothing left for B
    assert str(caught.value) == (
        "Not enough nominations: 1 unit has people and needs at least one, but only 0 are left to share. "
        "(5 of the total of 5 are already set by hand.)"
    )
    assert _snapshot(programme) == before


def test_changing_level_replaces_the_table_before_nominating_opens(org, programme, people, office_user):
    apportion_quotas(programme, depth=1, total=6, actor=office_user)
    apportion_quotas(programme, depth=2, total=6, actor=office_user)
    assert _table(programme) == {"A1": (3, 0, False), "A2": (1, 0, False), "B1": (2, 0, False)}
    entry = AuditEntry.objects.filter(action="exemplar.programmes.quotas_apportioned").order_by("seq").last()
    assert entry.data["removed"] == ["A", "B"]


def test_once_nominating_opened_quotas_change_but_are_not_added_or_removed(org, programme, people, office_user):
    apportion_quotas(programme, depth=1, total=6, actor=office_user)
    set_phase(programme, PhaseKind.NOMINATION)
    assert nominating_has_opened(programme)
    before = _snapshot(programme)
    with pytest.raises(DomainError) as caught:
        apportion_quotas(programme, depth=2, total=6, actor=office_user)
    assert str(caught.value) == (
        "Nominating has opened: quotas can still be changed, but not added or removed "
        "(Unit A, Unit B, Unit A1, Unit A2, Unit B1). Choose the level the quotas already have."
    )
    assert _snapshot(programme) == before

    apportion_quotas(programme, depth=1, total=9, actor=office_user)
    assert _table(programme) == {"A": (6, 0, False), "B": (3, 0, False)}
    make_unit("C", org.root)
    with pytest.raises(DomainError):
        apportion_quotas(programme, depth=1, total=9, actor=office_user)


def test_stepping_back_to_set_up_still_counts_as_opened(programme):
    nomination = programme.phases.get(kind=PhaseKind.NOMINATION)
    nomination.entered_at = programme.created_at
    nomination.save(update_fields=["entered_at"])
    assert programme.current_phase.kind == PhaseKind.SETUP
    assert nominating_has_opened(programme)


def test_set_quota_for_a_unit_creates_it_at_the_quota_level_only(org, programme, people, office_user):
    quota = set_quota(org.b, programme=programme, allocated=2, actor=office_user)
    assert (quota.unit, quota.allocated, quota.used, quota.is_manual) == (org.b, 2, 0, True)
    assert AuditEntry.objects.filter(action="exemplar.programmes.quota_set").get().data == {
        "unit": "B",
        "old": None,
        "new": 2,
    }
    with pytest.raises(DomainError) as caught:
        set_quota(org.b1, programme=programme, allocated=2, actor=office_user)
    assert str(caught.value) == "Unit B1 is not at the programme's quota level (level 1)."
    set_phase(programme, PhaseKind.NOMINATION)
    with pytest.raises(DomainError) as caught:
        set_quota(org.a, programme=programme, allocated=2, actor=office_user)
    assert str(caught.value) == "Nominating has opened: Unit A has no quota, and one cannot be added now."
    assert _table(programme) == {"B": (2, 0, True)}


def test_quota_levels_follow_the_tree(org):
    assert quota_levels() == [1, 2]
    make_unit("A11", org.a1)
    assert quota_levels() == [1, 2, 3]


# --- selectors --------------------------------------------------------------------


def test_quota_table_rows_and_totals(org, programme, people, office_user):
    apportion_quotas(programme, depth=1, total=6, actor=office_user)
    UnitQuota.objects.filter(unit=org.a).update(used=1)
    rows = quota_table(programme)
    assert [(r.unit, r.headcount, r.allocated, r.used, r.remaining, r.is_manual) for r in rows] == [
        (org.a, 6, 4, 1, 3, False),
        (org.b, 3, 2, 0, 2, False),
    ]
    assert quota_totals(rows) == QuotaTotals(headcount=9, allocated=6, used=1, remaining=5)
    assert [(r.unit, r.remaining) for r in quotas_for_units(programme, [org.b.pk, org.b1.pk])] == [(org.b, 2)]


@pytest.mark.parametrize("n_units", [1, 3])
def test_quota_table_takes_two_queries_whatever_the_size(
    org, programme, office_user, django_assert_num_queries, n_units
):
    for i in range(n_units):
        unit = make_unit(f"U{i}", org.a)
        PersonFactory.create_batch(i + 1, unit=unit)
        UnitQuota.objects.create(programme=programme, unit=unit, allocated=i + 1)
    with django_assert_num_queries(2):
        rows = quota_table(programme)
    assert [(r.unit.code, r.headcount) for r in rows] == [(f"U{i}", i + 1) for i in range(n_units)]
    with django_assert_num_queries(2):
        assert len(quotas_for_units(programme, [r.unit.pk for r in rows])) == n_units


@pytest.mark.usefixtures("people")
def test_visible_rows_agree_with_the_view_quota_rule(org, programme, office_user, coordinator_a, auditor_user):
    apportion_quotas(programme, depth=2, total=6, actor=office_user)
    coordinator_b1 = make_user("coord_b1", person=PersonFactory(unit=org.b1))
    grant(coordinator_b1, Role.UNIT_COORDINATOR, org.b1)
    outsider = make_user("nobody", person=PersonFactory(unit=org.b1))
    grant(outsider, Role.EMPLOYEE, org.b1)
    everything = quota_table(programme)
    expected = {
        office_user: ["A1", "A2", "B1"],
        auditor_user: ["A1", "A2", "B1"],
        coordinator_a: ["A1", "A2"],
        coordinator_b1: ["B1"],
        outsider: [],
    }
    for user, codes in expected.items():
        visible = [r.unit.code for r in quota_table_visible_to(user, programme)]
        allowed = [r.unit.code for r in everything if user.has_perm("programmes.view_quota", r.quota)]
        assert (visible, allowed) == (codes, codes), user.username
