"""Setting up a programme: create, edit, copy last year's. The only writers of programme set-up.

The set-up pieces (categories, rubric, composition rules, vetting
departments) are written by ``programmes.domain.setup``; phases and moving
between them by ``programmes.domain.phases``. Their verbs are re-exported
here, so callers import every set-up writer from one place.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exemplar.core import clock
from exemplar.core.domain.audit import log_action
from exemplar.core.errors import DomainError
from exemplar.people.models import User
from exemplar.programmes.domain.capabilities import Capability
from exemplar.programmes.domain.lifecycle import DEFAULT_CAPABILITIES, PHASE_ORDER, Kind
from exemplar.programmes.domain.phases import (
    PhaseBlocked,
    add_phase,
    advance_programme,
    delete_phase,
    describe_blocker,
    lock_programme,
    require_before,
    step_back_programme,
    update_phase,
)
from exemplar.programmes.domain.setup import (
    CategorySpec,
    CriterionSpec,
    DepartmentSpec,
    LevelSpec,
    RuleSpec,
    add_category,
    add_composition_rule,
    add_criterion,
    add_vetting_department,
    delete_category,
    delete_composition_rule,
    delete_criterion,
    delete_vetting_department,
    update_category,
    update_composition_rule,
    update_criterion,
    update_vetting_department,
)
from exemplar.programmes.models import (
    Category,
    CompositionRule,
    Criterion,
    CriterionLevel,
    Phase,
    Programme,
    UnitQuota,
    VettingDepartment,
)

__all__ = [
    "CategorySpec",
    "CriterionSpec",
    "DepartmentSpec",
    "LevelSpec",
    "PhaseBlocked",
    "RuleSpec",
    "add_category",
    "add_composition_rule",
    "add_criterion",
    "add_phase",
    "add_vetting_department",
    "advance_programme",
    "copy_programme",
    "create_programme",
    "delete_category",
    "delete_composition_rule",
    "delete_criterion",
    "delete_phase",
    "delete_vetting_department",
    "describe_blocker",
    "step_back_programme",
    "update_category",
    "update_composition_rule",
    "update_criterion",
    "update_phase",
    "update_programme",
    "update_vetting_department",
]

YEAR_RANGE = range(2000, 2101)
EDITABLE_FIELDS = (
    "name",
    "name_en",
    "year",
    "description",
    "description_en",
    "allow_joint_nomination",
    "joint_nomination_size",
)


def _check_fields(*, name: str, year: int, joint_nomination_size: int) -> None:
    if not name.strip():
        raise DomainError(_("A programme needs a name."), code="name_required")
    if year not in YEAR_RANGE:
        raise DomainError(_("The year must lie between 2000 and 2100."), code="bad_year")
    if joint_nomination_size < 2:
        raise DomainError(_("A joint nomination needs at least 2 employees."), code="bad_joint_size")


def create_programme(
    *,
    name: str,
    year: int,
    name_en: str = "",
    description: str = "",
    description_en: str = "",
    allow_joint_nomination: bool = False,
    joint_nomination_size: int = 10,
    actor: User,
    at: datetime | None = None,
) -> Programme:
    """A new programme in its set-up phase, with every phase of the usual order and its usual flags.

    The office then removes the optional phases it does not run and sets
    the windows. Logs ``exemplar.programmes.created``.
    """
    at = at or clock.now()
    _check_fields(name=name, year=year, joint_nomination_size=joint_nomination_size)
    with transaction.atomic():
        programme = Programme.objects.create(
            name=name.strip(),
            name_en=name_en.strip(),
            year=year,
            description=description.strip(),
            description_en=description_en.strip(),
            allow_joint_nomination=allow_joint_nomination,
            joint_nomination_size=joint_nomination_size,
            created_at=at,
            created_by=actor,
        )
        phases = [
            Phase(
                programme=programme,
                kind=kind,
                order=order,
                **dict.fromkeys(DEFAULT_CAPABILITIES[kind], True),
            )
            for order, kind in enumerate(PHASE_ORDER)
        ]
        Phase.objects.bulk_create(phases)
        setup = Phase.objects.get(programme=programme, kind=Kind.SETUP)
        setup.entered_at = at
        setup.save(update_fields=["entered_at"])
        programme.current_phase = setup
        programme.save(update_fields=["current_phase"])
        log_action(actor, "exemplar.programmes.created", programme, {"year": year}, at=at)
    return programme


def update_programme(
    programme: Programme,
    *,
    name: str,
    year: int,
    name_en: str = "",
    description: str = "",
    description_en: str = "",
    allow_joint_nomination: bool = False,
    joint_nomination_size: int = 10,
    actor: User,
    at: datetime | None = None,
) -> Programme:
    """Edit the programme's own fields. The year only changes during set-up (references carry it).

    Refused once the programme is closed. Logs ``exemplar.programmes.updated`` with the fields changed.
    """
    at = at or clock.now()
    _check_fields(name=name, year=year, joint_nomination_size=joint_nomination_size)
    with transaction.atomic():
        programme = lock_programme(programme)
        require_before(programme, Kind.CLOSED)
        if (
            year != programme.year
            and programme.current_phase is not None
            and programme.current_phase.kind != Kind.SETUP
        ):
            raise DomainError(_("The year can only change during set-up."), code="year_locked")
        new = {
            "name": name.strip(),
            "name_en": name_en.strip(),
            "year": year,
            "description": description.strip(),
            "description_en": description_en.strip(),
            "allow_joint_nomination": allow_joint_nomination,
            "joint_nomination_size": joint_nomination_size,
        }
        changed = sorted(k for k, v in new.items() if getattr(programme, k) != v)
        for key, value in new.items():
            setattr(programme, key, value)
        programme.save(update_fields=list(EDITABLE_FIELDS))
        if changed:
            log_action(actor, "exemplar.programmes.updated", programme, {"fields": changed}, at=at)
    return programme


def shift_years(moment: datetime | None, years: int) -> datetime | None:
    """The same local date and time ``years`` later (29 February becomes the 28th)."""
    if moment is None or years == 0:
        return moment
    local = timezone.localtime(moment)
    try:
        shifted = local.replace(year=local.year + years)
    except ValueError:
        shifted = local.replace(year=local.year + years, day=28)
    return timezone.make_aware(shifted.replace(tzinfo=None), local.tzinfo)


def _renamed(text: str, old_year: int, new_year: int) -> str:
    return text.replace(str(old_year), str(new_year))


def copy_programme(source: Programme, *, year: int, actor: User, at: datetime | None = None) -> Programme:
    """A new programme for ``year`` set up like ``source``, in its set-up phase.

    Copies the fields (the source's year in names and descriptions becomes
    ``year``), categories with their eligibility rules, the rubric with its
    levels, composition rules, phases with their flags, ratios and windows
    (moved by the difference in years), vetting departments with their
    signatories, and unit quotas with nothing used. Never nominations.
    Logs ``exemplar.programmes.copied`` on the new programme.
    """
    at = at or clock.now()
    if year not in YEAR_RANGE:
        raise DomainError(_("The year must lie between 2000 and 2100."), code="bad_year")
    delta = year - source.year
    with transaction.atomic():
        copy = Programme.objects.create(
            name=_renamed(source.name, source.year, year),
            name_en=_renamed(source.name_en, source.year, year),
            year=year,
            description=_renamed(source.description, source.year, year),
            description_en=_renamed(source.description_en, source.year, year),
            quota_depth=source.quota_depth,
            quota_total=source.quota_total,
            allow_joint_nomination=source.allow_joint_nomination,
            joint_nomination_size=source.joint_nomination_size,
            copied_from=source,
            created_at=at,
            created_by=actor,
        )
        categories = _copy_categories(source, copy)
        _copy_rubric(source, copy)
        CompositionRule.objects.bulk_create(
            CompositionRule(
                programme=copy,
                category=categories.get(rule.category_id) if rule.category_id else None,
                attribute=rule.attribute,
                value=rule.value,
                kind=rule.kind,
                threshold=rule.threshold,
            )
            for rule in source.composition_rules.all()
        )
        _copy_phases(source, copy, delta, at)
        _copy_departments(source, copy)
        UnitQuota.objects.bulk_create(
            UnitQuota(programme=copy, unit_id=q.unit_id, allocated=q.allocated, used=0, is_manual=q.is_manual)
            for q in source.quotas.all()
        )
        log_action(actor, "exemplar.programmes.copied", copy, {"from": source.pk, "from_year": source.year}, at=at)
    return copy


def _copy_categories(source: Programme, copy: Programme) -> dict[int, Category]:
    mapping = {}
    for c in source.categories.all():
        mapping[c.pk] = Category.objects.create(
            programme=copy,
            code=c.code,
            name=_renamed(c.name, source.year, copy.year),
            name_en=_renamed(c.name_en, source.year, copy.year),
            kind=c.kind,
            seats=c.seats,
            order=c.order,
            reviewers_per_nomination=c.reviewers_per_nomination,
            min_service_years=c.min_service_years,
            require_active=c.require_active,
            disciplinary_window_years=c.disciplinary_window_years,
            honour_window_years=c.honour_window_years,
        )
    return mapping


def _copy_rubric(source: Programme, copy: Programme) -> None:
    levels: list[CriterionLevel] = []
    for c in source.criteria.prefetch_related("levels"):
        new = Criterion.objects.create(programme=copy, name=c.name, name_en=c.name_en, weight=c.weight, order=c.order)
        levels.extend(
            CriterionLevel(criterion=new, score=lv.score, descriptor=lv.descriptor, descriptor_en=lv.descriptor_en)
            for lv in c.levels.all()
        )
    CriterionLevel.objects.bulk_create(levels)


def _copy_phases(source: Programme, copy: Programme, delta: int, at: datetime) -> None:
    flags = [c.value for c in Capability]
    for p in source.phases.all():
        Phase.objects.create(
            programme=copy,
            kind=p.kind,
            order=p.order,
            starts_at=shift_years(p.starts_at, delta),
            ends_at=shift_years(p.ends_at, delta),
            min_candidates_per_seat=p.min_candidates_per_seat,
            entered_at=at if p.kind == Kind.SETUP else None,
            **{f: getattr(p, f) for f in flags},
        )
    copy.current_phase = copy.phases.filter(kind=Kind.SETUP).first() or copy.phases.order_by("order").first()
    copy.save(update_fields=["current_phase"])


def _copy_departments(source: Programme, copy: Programme) -> None:
    for d in source.vetting_departments.prefetch_related("members"):
        new = VettingDepartment.objects.create(programme=copy, name=d.name, name_en=d.name_en, order=d.order)
        new.members.set(d.members.all())
