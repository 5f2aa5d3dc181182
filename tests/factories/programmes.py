"""A ready programme for tests: two categories, a rubric, the usual phases."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from exemplar.people.models import User
from exemplar.programmes.enums import CategoryKind, PhaseKind
from exemplar.programmes.models import Category, Criterion, CriterionLevel, Phase, Programme, VettingDepartment

PHASE_FLAGS = {
    PhaseKind.SETUP: {},
    PhaseKind.NOMINATION: {"can_nominate": True, "can_endorse": True},
    PhaseKind.SCREENING: {"can_screen": True},
    PhaseKind.VETTING: {"can_vet": True},
    PhaseKind.REVIEW: {"can_review": True},
    PhaseKind.ELECTION: {"can_vote": True},
    PhaseKind.DECISION: {},
    PhaseKind.NOTICE: {"can_object": True},
    PhaseKind.COMMENDATION: {},
    PhaseKind.CLOSED: {},
}


def make_programme(created_by: User, *, year: int = 2026, phase: str = PhaseKind.NOMINATION) -> Programme:
    programme = Programme.objects.create(
        name=f"{year}年度榜样评选",
        name_en=f"Role Models {year}",
        year=year,
        created_by=created_by,
        created_at=timezone.now(),
    )
    Category.objects.create(
        programme=programme,
        code="individual",
        name="榜样个人",
        name_en="Role model",
        kind=CategoryKind.INDIVIDUAL,
        seats=2,
        order=1,
    )
    Category.objects.create(
        programme=programme,
        code="team",
        name="榜样团队",
        name_en="Role-model team",
        kind=CategoryKind.COLLECTIVE,
        seats=8,
        order=2,
    )
    for order, (name, name_en, weight) in enumerate(
        [
            ("爱岗敬业", "Dedication", "30"),
            ("创新突破", "Innovation and breakthroughs", "30"),
            ("质量", "Quality", "20"),
            ("团结协作与文化", "Teamwork and culture", "20"),
        ]
    ):
        criterion = Criterion.objects.create(
            programme=programme, name=name, name_en=name_en, weight=Decimal(weight), order=order
        )
        for score in range(1, 6):
            CriterionLevel.objects.create(
                criterion=criterion, score=score, descriptor=f"{score}分", descriptor_en=f"Level {score}"
            )
    current = None
    for order, kind in enumerate(PhaseKind.values):
        p = Phase.objects.create(programme=programme, kind=kind, order=order, **PHASE_FLAGS[PhaseKind(kind)])
        if kind == phase:
            current = p
    programme.current_phase = current
    programme.save(update_fields=["current_phase"])
    for order, (name, name_en) in enumerate(
        [("纪检监察", "Discipline inspection"), ("人力资源", "Human resources"), ("安全生产", "Safety")]
    ):
        VettingDepartment.objects.create(programme=programme, name=name, name_en=name_en, order=order)
    return programme


def set_phase(programme: Programme, kind: str) -> None:
    programme.current_phase = programme.phases.get(kind=kind)
    programme.save(update_fields=["current_phase"])
