"""Writers for a programme's set-up pieces: categories, rubric, composition rules, vetting departments.

Each piece locks once the phase that relies on it has begun: categories are
added or removed only until screening and edited until the decision; the
rubric is fixed once expert review begins; composition rules once the
committee decides; vetting departments are added or removed only before
vetting (their signatories may change until the programme closes). Every
writer logs an ``exemplar.programmes.*`` entry on the programme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Model, ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from exemplar.core import clock
from exemplar.core.domain.audit import log_action
from exemplar.core.errors import DomainError
from exemplar.people.enums import Gender, ManagementLevel, Role, StaffCategory
from exemplar.people.models import User
from exemplar.programmes.domain.lifecycle import Kind
from exemplar.programmes.domain.phases import lock_programme, require_before
from exemplar.programmes.enums import CategoryKind, CompositionAttribute, CompositionKind
from exemplar.programmes.models import (
    Category,
    CompositionRule,
    Criterion,
    CriterionLevel,
    Programme,
    VettingDepartment,
)

ATTRIBUTE_VALUES: dict[str, list[str]] = {
    CompositionAttribute.STAFF_CATEGORY: list(StaffCategory.values),
    CompositionAttribute.MANAGEMENT_LEVEL: list(ManagementLevel.values),
    CompositionAttribute.GENDER: list(Gender.values),
}
SHARE_KINDS = frozenset({CompositionKind.AT_MOST_SHARE, CompositionKind.AT_LEAST_SHARE})


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    kind: str
    seats: int
    name_en: str = ""
    order: int = 0
    reviewers_per_nomination: int = 3
    min_service_years: int | None = None
    require_active: bool = True
    disciplinary_window_years: int | None = None
    honour_window_years: int | None = None


@dataclass(frozen=True)
class LevelSpec:
    score: int
    descriptor: str
    descriptor_en: str = ""


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    weight: Decimal
    name_en: str = ""
    order: int = 0
    levels: tuple[LevelSpec, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RuleSpec:
    attribute: str
    value: str
    kind: str
    threshold: Decimal
    category: Category | None = None


@dataclass(frozen=True)
class DepartmentSpec:
    name: str
    name_en: str = ""
    order: int = 0
    members: tuple[User, ...] = ()


def _delete(obj: Model, message: str) -> None:
    try:
        obj.delete()
    except ProtectedError as exc:
        raise DomainError(message, code="in_use") from exc


# Categories ----------------------------------------------------------------


def _check_category(programme: Programme, spec: CategorySpec, *, exclude: int | None = None) -> None:
    if not spec.name.strip():
        raise DomainError(_("A category needs a name."), code="name_required")
    if not spec.code or slugify(spec.code) != spec.code:
        raise DomainError(
            _("A category code uses lower-case letters, digits and hyphens only, e.g. “individual”."), code="bad_code"
        )
    if spec.kind not in CategoryKind.values:
        raise DomainError(_("Unknown kind of category."), code="bad_kind")
    if spec.seats < 1 or spec.reviewers_per_nomination < 1:
        raise DomainError(_("A category needs at least one seat and one reviewer per nomination."), code="bad_seats")
    clash = Category.objects.filter(programme=programme, code=spec.code)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise DomainError(_("Another category of this programme has the code %(code)s.") % {"code": spec.code})


def _category_values(spec: CategorySpec) -> dict[str, object]:
    values = asdict(spec)
    values["name"], values["name_en"] = spec.name.strip(), spec.name_en.strip()
    return values


def add_category(programme: Programme, *, spec: CategorySpec, actor: User, at: datetime | None = None) -> Category:
    """Add a category with its seats and eligibility rules, until screening begins.

    Logs ``exemplar.programmes.category_added``.
    """
    at = at or clock.now()
    with transaction.atomic():
        programme = lock_programme(programme)
        require_before(programme, Kind.SCREENING)
        _check_category(programme, spec)
        category = Category.objects.create(programme=programme, **_category_values(spec))
        log_action(actor, "exemplar.programmes.category_added", programme, {"category": spec.code}, at=at)
    return category


def update_category(category: Category, *, spec: CategorySpec, actor: User, at: datetime | None = None) -> Category:
    """Edit a category until the committee decides; its code and kind stay once it has nominations.

    Logs ``exemplar.programmes.category_updated`` with the fields changed.
    """
    at = at or clock.now()
    with transaction.atomic():
        programme = lock_programme(category.programme)
        require_before(programme, Kind.DECISION)
        category = Category.objects.select_for_update().get(pk=category.pk)
        _check_category(programme, spec, exclude=category.pk)
        values = _category_values(spec)
        changed = sorted(k for k, v in values.items() if getattr(category, k) != v)
        if {"code", "kind"} & set(changed) and category.nominations.exists():
            raise DomainError(
                _("The category already has nominations: its code and kind can no longer change."), code="in_use"
            )
        for key, value in values.items():
            setattr(category, key, value)
        category.save()
        if changed:
            log_action(
                actor,
                "exemplar.programmes.category_updated",
                programme,
                {"category": category.code, "fields": changed},
                at=at,
            )
    return category


def delete_category(category: Category, *, actor: User, at: datetime | None = None) -> None:
    """Remove a category that has no nominations, until screening begins (its composition rules go with it).

    Logs ``exemplar.programmes.category_deleted``.
    """
    at = at or clock.now()
    with transaction.atomic():
        programme = lock_programme(category.programme)
        require_before(programme, Kind.SCREENING)
        if category.nominations.exists():
            raise DomainError(_("The category has nominations and cannot be removed."), code="in_use")
        code = category.code
        _delete(category, _("The category is in use and cannot be removed."))
        log_action(actor, "exemplar.programmes.category_deleted", programme, {"category": code}, at=at)


# Rubric --------------------------------------------------------------------


def _check_criterion(spec: CriterionSpec) -> None:
    if not spec.name.strip():
        raise DomainError(_("A criterion needs a name."), code="name_required")
    if spec.weight <= 0:
        raise DomainError(_("A criterion's weight must be more than zero."), code="bad_weight")
    if not spec.levels:
        raise DomainError(_("Describe at least one score level."), code="no_levels")
    scores = [lv.score for lv in spec.levels]
    if len(set(scores)) != len(scores):
        raise DomainError(_("Each score level appears once."), code="duplicate_level")
    if any(not lv.descriptor.strip() for lv in spec.levels):
        raise DomainError(_("Every score level needs a descriptor."), code="empty_level")


def _save_levels(criterion: Criterion, levels: Sequence[LevelSpec]) -> None:
    CriterionLevel.objects.filter(criterion=criterion).delete()
    CriterionLevel.objects.bulk_create(
        CriterionLevel(
            criterion=criterion,
            score=lv.score,
            descriptor=lv.descriptor.strip(),
            descriptor_en=lv.descriptor_en.strip(),
        )
        for lv in sorted(levels, key=lambda lv: -lv.score)
    )


def add_criterion(programme: Programme, *, spec: CriterionSpec, actor: User, at: datetime | None = None) -> Criterion:
    """Add a rubric criterion with its weight and score levels, until expert review begins.

    Logs ``exemplar.programmes.criterion_added``.
    """
    at = at or clock.now()
    _check_criterion(spec)
    with transaction.atomic():
        programme = lock_programme(programme)
        require_before(programme, Kind.REVIEW)
        criterion = Criterion.objects.create(
            programme=programme,
            name=spec.name.strip(),
            name_en=spec.name_en.strip(),
            weight=spec.weight,
            order=spec.order,
        )
        _save_levels(criterion, spec.levels)
        log_action(
            actor,
            "exemplar.programmes.criterion_added",
            programme,
            {"criterion": criterion.name, "weight": str(spec.weight), "levels": len(spec.levels)},
            at=at,
        )
    return criterion


def update_criterion(
    criterion: Criterion, *, spec: CriterionSpec, actor: User, at: datetime | None = None
) -> Criterion:
    """Replace a criterion's name, weight, order and score levels, until expert review begins.

    Logs ``exemplar.programmes.criterion_updated``.
    """
    at = at or clock.now()
    _check_criterion(spec)
    with transaction.atomic():
        programme = lock_programme(criterion.programme)
        require_before(programme, Kind.REVIEW)
        criterion = Criterion.objects.select_for_update().get(pk=criterion.pk)
        criterion.name, criterion.name_en = spec.name.strip(), spec.name_en.strip()
        criterion.weight, criterion.order = spec.weight, spec.order
        criterion.save()
        _save_levels(criterion, spec.levels)
        log_action(
            actor,
            "exemplar.programmes.criterion_updated",
            programme,
            {"criterion": criterion.name, "weight": str(spec.weight), "levels": len(spec.levels)},
            at=at,
        )
    return criterion


def delete_criterion(criterion: Criterion, *, actor: User, at: datetime | None = None) -> None:
    """Remove a criterion and its levels, until expert review begins. Logs ``exemplar.programmes.criterion_deleted``."""
    at = at or clock.now()
    with transaction.atomic():
        programme = lock_programme(criterion.programme)
        require_before(programme, Kind.REVIEW)
        name = criterion.name
        _delete(criterion, _("The criterion is in use and cannot be removed."))
        log_action(actor, "exemplar.programmes.criterion_deleted", programme, {"criterion": name}, at=at)


# Composition rules ---------------------------------------------------------


def _check_rule(programme: Programme, spec: RuleSpec) -> None:
    if spec.attribute not in ATTRIBUTE_VALUES or spec.kind not in CompositionKind.values:
        raise DomainError(_("Unknown kind of rule."), code="bad_rule")
    if spec.value not in ATTRIBUTE_VALUES[spec.attribute]:
        raise DomainError(_("That value does not belong to the chosen attribute."), code="bad_value")
    if spec.category is not None and spec.category.programme_id != programme.pk:
        raise DomainError(_("That category is not part of this programme."), code="bad_category")
    if spec.kind in SHARE_KINDS:
        if not Decimal(0) < spec.threshold <= Decimal(100):
            raise DomainError(_("A share is a percentage above 0 and at most 100."), code="bad_threshold")
    elif spec.threshold < 0 or spec.threshold != spec.threshold.to_integral_value():
        raise DomainError(_("A count is a whole number, 0 or more."), code="bad_threshold")


def _rule_data(spec: RuleSpec) -> dict[str, object]:
    return {
        "category": spec.category.code if spec.category else None,
        "attribute": spec.attribute,
        "value": spec.value,
        "kind": spec.kind,
        "threshold": str(spec.threshold),
    }


def add_composition_rule(
    programme: Programme, *, spec: RuleSpec, actor: User, at: datetime | None = None
) -> CompositionRule:
    """Add a rule the final list must meet (shares in per cent), until the committee decides.

    Logs ``exemplar.programmes.rule_added``.
    """
    at = at or clock.now()
    with transaction.atomic():
        programme = lock_programme(programme)
        require_before(programme, Kind.DECISION)
        _check_rule(programme, spec)
        rule = CompositionRule.objects.create(
            programme=programme,
            category=spec.category,
            attribute=spec.attribute,
            value=spec.value,
            kind=spec.kind,
            threshold=spec.threshold,
        )
        log_action(actor, "exemplar.programmes.rule_added", programme, _rule_data(spec), at=at)
    return rule


def update_composition_rule(
    rule: CompositionRule, *, spec: RuleSpec, actor: User, at: datetime | None = None
) -> CompositionRule:
    """Change a composition rule, until the committee decides. Logs ``exemplar.programmes.rule_updated``."""
    at = at or clock.now()
    with transaction.atomic():
        programme = lock_programme(rule.programme)
        require_before(programme, Kind.DECISION)
        _check_rule(programme, spec)
        rule.category, rule.attribute, rule.value = spec.category, spec.attribute, spec.value
        rule.kind, rule.threshold = spec.kind, spec.threshold
        rule.save()
        log_action(actor, "exemplar.programmes.rule_updated", programme, {"rule": rule.pk, **_rule_data(spec)}, at=at)
    return rule


def delete_composition_rule(rule: CompositionRule, *, actor: User, at: datetime | None = None) -> None:
    """Drop a composition rule, until the committee decides. Logs ``exemplar.programmes.rule_deleted``."""
    at = at or clock.now()
    with transaction.atomic():
        programme = lock_programme(rule.programme)
        require_before(programme, Kind.DECISION)
        pk = rule.pk
        rule.delete()
        log_action(actor, "exemplar.programmes.rule_deleted", programme, {"rule": pk}, at=at)


# Vetting departments -------------------------------------------------------


def _check_department(spec: DepartmentSpec) -> None:
    if not spec.name.strip():
        raise DomainError(_("A department needs a name."), code="name_required")
    ids = [u.pk for u in spec.members]
    vetters = set(
        User.objects.filter(pk__in=ids, is_active=True, grants__role=Role.VETTING).values_list("pk", flat=True)
    )
    strangers = [u for u in spec.members if u.pk not in vetters]
    if strangers:
        raise DomainError(
            _("Only active accounts holding the vetting role can sign off: %(names)s.")
            % {"names": ", ".join(sorted(u.get_username() for u in strangers))},
            code="not_vetting",
        )


def add_vetting_department(
    programme: Programme, *, spec: DepartmentSpec, actor: User, at: datetime | None = None
) -> VettingDepartment:
    """Add a department that must sign off every confirmed candidate, before vetting begins.

    Logs ``exemplar.programmes.department_added``.
    """
    at = at or clock.now()
    _check_department(spec)
    with transaction.atomic():
        programme = lock_programme(programme)
        require_before(programme, Kind.VETTING)
        department = VettingDepartment.objects.create(
            programme=programme, name=spec.name.strip(), name_en=spec.name_en.strip(), order=spec.order
        )
        department.members.set(spec.members)
        log_action(
            actor,
            "exemplar.programmes.department_added",
            programme,
            {"department": department.name, "members": sorted(u.get_username() for u in spec.members)},
            at=at,
        )
    return department


def update_vetting_department(
    department: VettingDepartment, *, spec: DepartmentSpec, actor: User, at: datetime | None = None
) -> VettingDepartment:
    """Rename a department or change its signatories, until the programme closes.

    Logs ``exemplar.programmes.department_updated`` with the signatories before and after.
    """
    at = at or clock.now()
    _check_department(spec)
    with transaction.atomic():
        programme = lock_programme(department.programme)
        require_before(programme, Kind.CLOSED)
        department = VettingDepartment.objects.select_for_update().get(pk=department.pk)
        before = sorted(department.members.values_list("username", flat=True))
        department.name, department.name_en, department.order = spec.name.strip(), spec.name_en.strip(), spec.order
        department.save()
        department.members.set(spec.members)
        log_action(
            actor,
            "exemplar.programmes.department_updated",
            programme,
            {
                "department": department.name,
                "members_before": before,
                "members": sorted(u.get_username() for u in spec.members),
            },
            at=at,
        )
    return department


def delete_vetting_department(department: VettingDepartment, *, actor: User, at: datetime | None = None) -> None:
    """Remove a department before vetting begins. Logs ``exemplar.programmes.department_deleted``."""
    at = at or clock.now()
    with transaction.atomic():
        programme = lock_programme(department.programme)
        require_before(programme, Kind.VETTING)
        name = department.name
        _delete(department, _("The department has signed off candidates and cannot be removed."))
        log_action(actor, "exemplar.programmes.department_deleted", programme, {"department": name}, at=at)
