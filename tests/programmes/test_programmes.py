"""Programme set-up writers: create, edit, copy to next year, and the pieces (categories, rubric, rules, departments)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from exemplar.core.domain.audit import verify_chain
from exemplar.core.errors import DomainError
from exemplar.core.models import AuditEntry
from exemplar.nominations.domain.nominations import create_nomination
from exemplar.people.enums import Role
from exemplar.programmes.domain.programmes import (
    CategorySpec,
    CriterionSpec,
    DepartmentSpec,
    LevelSpec,
    RuleSpec,
    add_category,
    add_composition_rule,
    add_criterion,
    add_vetting_department,
    copy_programme,
    create_programme,
    delete_category,
    delete_criterion,
    shift_years,
    update_category,
    update_criterion,
    update_programme,
    update_vetting_department,
)
from exemplar.programmes.domain.queries import rubric_of
from exemplar.programmes.enums import CategoryKind, PhaseKind
from exemplar.programmes.models import Category, CompositionRule, Programme, UnitQuota
from tests.factories.people import PersonFactory, grant, make_user
from tests.factories.programmes import make_programme, set_phase

pytestmark = pytest.mark.integration

SHANGHAI = ZoneInfo("Asia/Shanghai")
INDIVIDUAL = CategorySpec(code="young", name="青年榜样", name_en="Young role model", kind="individual", seats=3)
LEVELS = (LevelSpec(3, "优秀", "Excellent"), LevelSpec(2, "良好", "Good"), LevelSpec(1, "一般", "Fair"))


@pytest.fixture
def programme(office_user):
    return make_programme(office_user, phase=PhaseKind.SETUP)


@pytest.fixture
def vetter(org):
    user = make_user("vetter", person=PersonFactory(unit=org.root))
    grant(user, Role.VETTING, org.root)
    return user


def last_action() -> tuple[str, dict]:
    entry = AuditEntry.objects.order_by("-seq").first()
    return entry.action, entry.data


def test_a_new_programme_starts_in_set_up_with_every_usual_phase(office_user):
    at = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
    programme = create_programme(name=" 2027年度榜样 ", name_en="Role Models 2027", year=2027, actor=office_user, at=at)

    phases = list(programme.phases.order_by("order"))
    assert [p.kind for p in phases] == list(PhaseKind.values)
    assert [p.order for p in phases] == list(range(10))
    assert (programme.name, programme.current_phase.kind, programme.current_phase.entered_at) == (
        "2027年度榜样",
        PhaseKind.SETUP,
        at,
    )
    nomination = phases[1]
    assert (nomination.can_nominate, nomination.can_endorse, nomination.can_vote) == (True, True, False)
    assert last_action() == ("exemplar.programmes.created", {"year": 2027})


def test_bad_programme_fields_are_refused_and_nothing_is_created(office_user):
    for kwargs in [{"name": "", "year": 2026}, {"name": "X", "year": 1999}]:
        with pytest.raises(DomainError):
            create_programme(actor=office_user, **kwargs)
    assert Programme.objects.count() == 0


def test_update_records_the_fields_changed_and_locks_the_year_after_set_up(programme, office_user):
    update_programme(programme, name=programme.name, year=2026, name_en="Role Models", actor=office_user)
    assert last_action() == ("exemplar.programmes.updated", {"fields": ["name_en"]})

    set_phase(programme, PhaseKind.NOMINATION)
    with pytest.raises(DomainError) as refused:
        update_programme(programme, name=programme.name, year=2027, actor=office_user)
    programme.refresh_from_db()
    assert (refused.value.code, programme.year) == ("year_locked", 2026)


def test_a_closed_programme_no_longer_changes(programme, office_user):
    set_phase(programme, PhaseKind.CLOSED)
    with pytest.raises(DomainError) as refused:
        update_programme(programme, name="Renamed", year=2026, actor=office_user)
    assert refused.value.code == "phase_locked"


def test_copy_takes_every_set_up_piece_and_moves_the_windows_a_year_on(org, programme, office_user, vetter):
    nomination = programme.phases.get(kind=PhaseKind.NOMINATION)
    nomination.starts_at = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    nomination.ends_at = datetime(2026, 4, 10, 17, 30, tzinfo=SHANGHAI)
    nomination.min_candidates_per_seat = Decimal("1.5")
    nomination.save()
    individual = programme.categories.get(code="individual")
    individual.min_service_years, individual.honour_window_years = 3, 3
    individual.save()
    CompositionRule.objects.create(
        programme=programme,
        category=individual,
        attribute="staff_category",
        value="front_line",
        kind="at_least_count",
        threshold=1,
    )
    programme.vetting_departments.first().members.add(vetter)
    UnitQuota.objects.create(programme=programme, unit=org.a, allocated=4, used=3, is_manual=True)

    copy = copy_programme(programme, year=2027, actor=office_user)

    assert (copy.name, copy.name_en, copy.year, copy.copied_from) == (
        "2027年度榜样评选",
        "Role Models 2027",
        2027,
        programme,
    )
    assert copy.current_phase.kind == PhaseKind.SETUP
    assert list(
        copy.categories.values_list(
            "code", "kind", "seats", "min_service_years", "require_active", "honour_window_years"
        )
    ) == list(
        programme.categories.values_list(
            "code", "kind", "seats", "min_service_years", "require_active", "honour_window_years"
        )
    )
    assert [(line.criterion.name, line.criterion.weight, line.share) for line in rubric_of(copy)] == [
        (line.criterion.name, line.criterion.weight, line.share) for line in rubric_of(programme)
    ]
    assert [[lv.descriptor_en for lv in line.levels] for line in rubric_of(copy)] == [
        ["Level 5", "Level 4", "Level 3", "Level 2", "Level 1"]
    ] * 4
    assert list(copy.composition_rules.values_list("category__programme", "category__code", "value")) == [
        (copy.pk, "individual", "front_line")
    ]
    copied = copy.phases.get(kind=PhaseKind.NOMINATION)
    assert (copied.starts_at, copied.ends_at, copied.min_candidates_per_seat, copied.can_nominate) == (
        datetime(2027, 3, 2, 9, 0, tzinfo=SHANGHAI),
        datetime(2027, 4, 10, 17, 30, tzinfo=SHANGHAI),
        Decimal("1.5"),
        True,
    )
    assert copied.entered_at is None
    assert [(d.name, list(d.members.all())) for d in copy.vetting_departments.order_by("order")] == [
        ("纪检监察", [vetter]),
        ("人力资源", []),
        ("安全生产", []),
    ]
    assert list(copy.quotas.values_list("unit__code", "allocated", "used", "is_manual")) == [("A", 4, 0, True)]
    assert copy.nominations.count() == 0
    entry = AuditEntry.objects.filter(action="exemplar.programmes.copied").get()
    assert (entry.object_id, entry.data) == (str(copy.pk), {"from": programme.pk, "from_year": 2026})
    assert verify_chain().ok


def test_copy_leaves_nominations_behind(org, office_user, coordinator_a):
    source = make_programme(office_user, phase=PhaseKind.NOMINATION)
    create_nomination(
        programme=source,
        category=source.categories.get(code="individual"),
        unit=org.a,
        person=PersonFactory(unit=org.a),
        title="t",
        deeds="d",
        actor=coordinator_a,
    )
    copy = copy_programme(source, year=2027, actor=office_user)
    assert (source.nominations.count(), copy.nominations.count()) == (1, 0)


def test_shifting_years_keeps_the_local_time_and_turns_29_february_into_the_28th():
    assert shift_years(datetime(2028, 2, 29, 9, 0, tzinfo=SHANGHAI), 1) == datetime(2029, 2, 28, 9, 0, tzinfo=SHANGHAI)
    assert shift_years(None, 1) is None
    moment = datetime(2026, 7, 1, 1, 0, tzinfo=UTC)
    assert shift_years(moment, 0) == moment


def test_categories_are_checked_and_audited(programme, office_user):
    category = add_category(programme, spec=INDIVIDUAL, actor=office_user)
    assert last_action() == ("exemplar.programmes.category_added", {"category": "young"})
    for bad in [
        CategorySpec(code="young", name="again", kind="individual", seats=1),
        CategorySpec(code="Not A Slug", name="x", kind="individual", seats=1),
        CategorySpec(code="zero", name="x", kind="individual", seats=0),
        CategorySpec(code="odd", name="x", kind="odd", seats=1),
    ]:
        with pytest.raises(DomainError):
            add_category(programme, spec=bad, actor=office_user)
    assert programme.categories.count() == 3

    update_category(
        category,
        spec=CategorySpec(code="young", name="青年榜样", kind="individual", seats=4, min_service_years=2),
        actor=office_user,
    )
    assert last_action() == (
        "exemplar.programmes.category_updated",
        {"category": "young", "fields": ["min_service_years", "name_en", "seats"]},
    )


def test_a_category_with_nominations_keeps_its_code_and_kind_and_cannot_go(org, programme, office_user, coordinator_a):
    set_phase(programme, PhaseKind.NOMINATION)
    category = programme.categories.get(code="individual")
    create_nomination(
        programme=programme,
        category=category,
        unit=org.a,
        person=PersonFactory(unit=org.a),
        title="t",
        deeds="d",
        actor=coordinator_a,
    )
    with pytest.raises(DomainError):
        update_category(
            category,
            spec=CategorySpec(code="individual", name=category.name, kind=CategoryKind.COLLECTIVE, seats=2),
            actor=office_user,
        )
    with pytest.raises(DomainError):
        delete_category(category, actor=office_user)
    category.refresh_from_db()
    assert (category.kind, Category.objects.filter(pk=category.pk).exists()) == (CategoryKind.INDIVIDUAL, True)


def test_categories_cannot_be_added_once_screening_begins(programme, office_user):
    set_phase(programme, PhaseKind.SCREENING)
    with pytest.raises(DomainError) as refused:
        add_category(programme, spec=INDIVIDUAL, actor=office_user)
    assert refused.value.code == "phase_locked"


def test_a_criterion_needs_weight_and_described_distinct_levels(programme, office_user):
    for spec in [
        CriterionSpec(name="x", weight=Decimal(0), levels=LEVELS),
        CriterionSpec(name="x", weight=Decimal(10)),
        CriterionSpec(name="x", weight=Decimal(10), levels=(LevelSpec(1, "a"), LevelSpec(1, "b"))),
        CriterionSpec(name="x", weight=Decimal(10), levels=(LevelSpec(1, " "),)),
    ]:
        with pytest.raises(DomainError):
            add_criterion(programme, spec=spec, actor=office_user)
    assert programme.criteria.count() == 4

    criterion = add_criterion(
        programme,
        spec=CriterionSpec(name="安全", name_en="Safety", weight=Decimal(20), order=9, levels=LEVELS),
        actor=office_user,
    )
    assert [(line.criterion.name, line.share) for line in rubric_of(programme)] == [
        ("爱岗敬业", Decimal("25.0")),
        ("创新突破", Decimal("25.0")),
        ("质量", Decimal("16.7")),
        ("团结协作与文化", Decimal("16.7")),
        ("安全", Decimal("16.7")),
    ]
    update_criterion(
        criterion,
        spec=CriterionSpec(
            name="安全", weight=Decimal(20), order=9, levels=(LevelSpec(2, "好", "Good"), LevelSpec(1, "差"))
        ),
        actor=office_user,
    )
    assert list(criterion.levels.values_list("score", "descriptor_en")) == [(2, "Good"), (1, "")]
    assert last_action() == (
        "exemplar.programmes.criterion_updated",
        {"criterion": "安全", "weight": "20", "levels": 2},
    )


def test_the_rubric_is_fixed_once_review_begins(programme, office_user):
    set_phase(programme, PhaseKind.REVIEW)
    criterion = programme.criteria.first()
    with pytest.raises(DomainError) as refused:
        delete_criterion(criterion, actor=office_user)
    assert (refused.value.code, programme.criteria.count()) == ("phase_locked", 4)


def test_composition_rules_check_value_threshold_and_category(programme, office_user):
    other = make_programme(office_user, year=2025)
    good = RuleSpec(attribute="staff_category", value="management", kind="at_most_share", threshold=Decimal(20))
    for bad in [
        RuleSpec(attribute="staff_category", value="senior", kind="at_most_share", threshold=Decimal(20)),
        RuleSpec(attribute="staff_category", value="management", kind="at_most_share", threshold=Decimal(120)),
        RuleSpec(attribute="staff_category", value="front_line", kind="at_least_count", threshold=Decimal("1.5")),
        RuleSpec(
            attribute="gender",
            value="female",
            kind="at_least_count",
            threshold=Decimal(1),
            category=other.categories.first(),
        ),
    ]:
        with pytest.raises(DomainError):
            add_composition_rule(programme, spec=bad, actor=office_user)
    add_composition_rule(programme, spec=good, actor=office_user)
    assert list(programme.composition_rules.values_list("value", "threshold")) == [("management", Decimal(20))]
    assert last_action() == (
        "exemplar.programmes.rule_added",
        {
            "category": None,
            "attribute": "staff_category",
            "value": "management",
            "kind": "at_most_share",
            "threshold": "20",
        },
    )


def test_only_vetting_role_holders_sign_off(programme, office_user, vetter, coordinator_a):
    with pytest.raises(DomainError) as refused:
        add_vetting_department(
            programme, spec=DepartmentSpec(name="审计", members=(vetter, coordinator_a)), actor=office_user
        )
    assert (refused.value.code, programme.vetting_departments.count()) == ("not_vetting", 3)

    department = add_vetting_department(
        programme, spec=DepartmentSpec(name="审计", name_en="Audit", order=4, members=(vetter,)), actor=office_user
    )
    assert list(department.members.all()) == [vetter]
    update_vetting_department(department, spec=DepartmentSpec(name="审计", name_en="Audit"), actor=office_user)
    assert list(department.members.all()) == []
    assert last_action() == (
        "exemplar.programmes.department_updated",
        {"department": "审计", "members_before": ["vetter"], "members": []},
    )
