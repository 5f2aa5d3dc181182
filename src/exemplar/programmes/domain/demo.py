# ruff: noqa: RUF001 — Chinese text is written with Chinese (full-width) punctuation
"""The demo programme: the group's 2026 "Aerospace Role Models" appraisal, open for nominations.

Built through the same writers the office uses, so it is audited and meets
every set-up rule. Needs the demo organisation (``people.domain.demo``) for
the ``vetting`` account that signs off for each department.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from exemplar.core import clock
from exemplar.people.enums import StaffCategory
from exemplar.people.models import User
from exemplar.programmes.domain.phases import CAPABILITY_FIELDS
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
    advance_programme,
    create_programme,
    update_phase,
)
from exemplar.programmes.enums import CategoryKind, CompositionAttribute, CompositionKind, PhaseKind
from exemplar.programmes.models import Phase, Programme

DEMO_TZ = ZoneInfo("Asia/Shanghai")
VETTING_ACCOUNT = "vetting"

NAME = "2026年度“航天榜样”评选表彰"
NAME_EN = "Aerospace Role Models 2026"
DESCRIPTION = (
    "在集团全系统开展“航天榜样（团队）”评选表彰，大力弘扬航天精神，营造“员工评选榜样、榜样带动员工”的良好氛围。"
)
DESCRIPTION_EN = (
    "The group-wide appraisal of the year's role models and role-model teams, in the spirit of "
    "employees electing role models and role models leading employees."
)

# (code, name, name_en, kind, seats)
CATEGORIES = [
    ("individual", "航天榜样个人", "Aerospace role model", CategoryKind.INDIVIDUAL, 2),
    ("team", "航天榜样团队", "Aerospace role-model team", CategoryKind.COLLECTIVE, 8),
]

# (name, name_en, weight, [(descriptor, descriptor_en) for scores 5..1])
RUBRIC = [
    (
        "爱岗敬业",
        "Dedication",
        "30",
        [
            (
                "长期扎根一线、勇挑重担，事迹在全系统具有示范意义",
                "Years on the front line, taking on the hardest tasks; an example to the whole group",
            ),
            (
                "主动担当急难险重任务，表现突出",
                "Steps up to urgent, difficult and risky tasks with outstanding results",
            ),
            ("认真履职，完成任务出色", "Does the job conscientiously and well"),
            ("能够完成本职工作", "Completes the duties of the post"),
            ("敬业表现不突出", "Dedication not evident"),
        ],
    ),
    (
        "创新突破",
        "Innovation and breakthroughs",
        "30",
        [
            (
                "取得国内领先的关键技术突破或重大管理创新",
                "A key breakthrough leading the country, or a major management innovation",
            ),
            ("解决型号研制生产中的重大难题", "Solved a major problem in developing or producing a model"),
            ("有多项有效的改进和创新成果", "Several effective improvements and innovations"),
            ("有一定的改进成果", "Some improvements"),
            ("无明显创新成果", "No notable innovation"),
        ],
    ),
    (
        "质量“零缺陷”",
        "Quality (\u201czero defect\u201d)",
        "20",
        [
            (
                "所负责产品长期保持“零缺陷”，质量管理经验被推广",
                "Products kept at zero defects for years; quality practice adopted elsewhere",
            ),
            ("质量问题归零彻底，成效显著", "Quality problems closed out thoroughly, with clear effect"),
            ("严格执行质量要求，无质量问题", "Follows quality requirements strictly; no quality problems"),
            ("基本满足质量要求", "Mostly meets quality requirements"),
            ("发生过质量问题", "Has had quality problems"),
        ],
    ),
    (
        "团结协作与文化",
        "Teamwork and culture",
        "20",
        [
            (
                "团队凝聚力强，传承航天精神，在系统内外产生广泛影响",
                "A close-knit team carrying the aerospace spirit, widely known inside and outside the group",
            ),
            ("协作高效，积极传播航天文化", "Works together efficiently and spreads the aerospace culture"),
            ("团结协作良好", "Good teamwork"),
            ("协作一般", "Average teamwork"),
            ("协作较差", "Poor teamwork"),
        ],
    ),
]

# (kind, opens, closes, candidates needed per seat before the phase ends). Days
# are counted from the day nominations opened, which is two weeks before the
# demo is loaded: whenever it is loaded, the demo sits mid-nomination with
# the rest of the year ahead, instead of showing every window as overdue.
PHASES = [
    (PhaseKind.SETUP, -56, -3, None),
    (PhaseKind.NOMINATION, 0, 39, "2"),
    (PhaseKind.SCREENING, 42, 53, "1.5"),
    (PhaseKind.VETTING, 56, 74, "1.5"),
    (PhaseKind.REVIEW, 77, 95, "1.5"),
    (PhaseKind.ELECTION, 98, 109, None),
    (PhaseKind.DECISION, 112, 120, None),
    (PhaseKind.NOTICE, 121, 127, None),
    (PhaseKind.COMMENDATION, 133, 192, None),
    (PhaseKind.CLOSED, 193, 284, None),
]
NOMINATION_OPENED_DAYS_AGO = 14

DEPARTMENTS = [("纪检监察", "Discipline inspection"), ("人力资源", "Human resources"), ("安全生产", "Work safety")]


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=DEMO_TZ)


def load_demo_programme(*, actor: User) -> Programme:
    """Create the 2026 demo programme, set up and moved on to nominations. Every step is audited."""
    vetting = User.objects.filter(username=VETTING_ACCOUNT).first()
    if vetting is None:
        msg = "The demo programme needs the demo organisation's accounts: run load_demo first."
        raise LookupError(msg)
    with transaction.atomic():
        programme = create_programme(
            name=NAME,
            name_en=NAME_EN,
            year=2026,
            description=DESCRIPTION,
            description_en=DESCRIPTION_EN,
            actor=actor,
        )
        for order, (code, name, name_en, kind, seats) in enumerate(CATEGORIES, start=1):
            spec = CategorySpec(
                code=code,
                name=name,
                name_en=name_en,
                kind=kind,
                seats=seats,
                order=order,
                min_service_years=3,
                require_active=True,
                disciplinary_window_years=3,
                honour_window_years=3,
            )
            add_category(programme, spec=spec, actor=actor)
        for order, (name, name_en, weight, levels) in enumerate(RUBRIC, start=1):
            level_specs = tuple(LevelSpec(5 - i, text, text_en) for i, (text, text_en) in enumerate(levels))
            add_criterion(
                programme,
                spec=CriterionSpec(name=name, name_en=name_en, weight=Decimal(weight), order=order, levels=level_specs),
                actor=actor,
            )
        _add_rules(programme, actor)
        opened = clock.now().astimezone(DEMO_TZ).date() - timedelta(days=NOMINATION_OPENED_DAYS_AGO)
        for code, opens, closes, per_seat in PHASES:
            phase = Phase.objects.get(programme=programme, kind=code)
            update_phase(
                phase,
                starts_at=_local(opened + timedelta(days=opens), time(9, 0)),
                ends_at=_local(opened + timedelta(days=closes), time(17, 30)),
                min_candidates_per_seat=Decimal(per_seat) if per_seat else None,
                capabilities=[f for f in CAPABILITY_FIELDS if getattr(phase, f)],
                actor=actor,
            )
        for order, (name, name_en) in enumerate(DEPARTMENTS, start=1):
            add_vetting_department(
                programme,
                spec=DepartmentSpec(name=name, name_en=name_en, order=order, members=(vetting,)),
                actor=actor,
            )
        advance_programme(programme, actor=actor, from_kind=PhaseKind.SETUP)
    programme.refresh_from_db()
    return programme


def _add_rules(programme: Programme, actor: User) -> None:
    individual = programme.categories.get(code="individual")
    add_composition_rule(
        programme,
        spec=RuleSpec(
            attribute=CompositionAttribute.STAFF_CATEGORY,
            value=StaffCategory.MANAGEMENT,
            kind=CompositionKind.AT_MOST_SHARE,
            threshold=Decimal(20),
        ),
        actor=actor,
    )
    add_composition_rule(
        programme,
        spec=RuleSpec(
            category=individual,
            attribute=CompositionAttribute.STAFF_CATEGORY,
            value=StaffCategory.FRONT_LINE,
            kind=CompositionKind.AT_LEAST_COUNT,
            threshold=Decimal(1),
        ),
        actor=actor,
    )
