"""A deterministic demo organisation: the fictional Aurora Aerospace Group.

Three levels (the group, 8 secondary units, 40 tertiary units), about 2,000
people and 60 teams, and one demo account per role. The same seed always
gives the same organisation, so screenshots and tutorials stay valid.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from exemplar.core import clock
from exemplar.core.domain.audit import log_action
from exemplar.people.domain import tree
from exemplar.people.enums import Gender, ManagementLevel, PersonStatus, Role, StaffCategory
from exemplar.people.models import OrgUnit, Person, RoleGrant, Team, TeamMembership, User

SEED = 2026
# Dates are computed from this day, not from the clock, so the demo is the same every day.
DEMO_TODAY = date(2026, 1, 1)
DEMO_PASSWORD = "exemplar-demo"  # noqa: S105 — printed by `make run`, demo data only

SECONDARY = [
    ("A1", "第一研究院", "First Academy"),
    ("A2", "第二研究院", "Second Academy"),
    ("A3", "第三研究院", "Third Academy"),
    ("A4", "第四研究院", "Fourth Academy"),
    ("C1", "星河动力公司", "Galaxy Propulsion Co."),
    ("C2", "天穹电子公司", "Skydome Electronics Co."),
    ("C3", "远航材料公司", "Voyager Materials Co."),
    ("C4", "曙光制造公司", "Aurora Manufacturing Co."),
]
TERTIARY = [
    ("01", "总体设计部", "Systems Design Department"),
    ("02", "动力研究所", "Propulsion Institute"),
    ("03", "控制研究所", "Control Systems Institute"),
    ("04", "总装厂", "Final Assembly Plant"),
    ("05", "质量与试验中心", "Quality and Test Centre"),
]
SURNAMES = [
    ("王", "Wang"),
    ("李", "Li"),
    ("张", "Zhang"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("赵", "Zhao"),
    ("黄", "Huang"),
    ("周", "Zhou"),
    ("吴", "Wu"),
    ("徐", "Xu"),
    ("孙", "Sun"),
    ("胡", "Hu"),
    ("朱", "Zhu"),
    ("高", "Gao"),
    ("林", "Lin"),
    ("何", "He"),
    ("郭", "Guo"),
    ("马", "Ma"),
    ("罗", "Luo"),
    ("梁", "Liang"),
    ("宋", "Song"),
    ("郑", "Zheng"),
    ("谢", "Xie"),
]
GIVEN = [
    ("伟", "Wei"),
    ("芳", "Fang"),
    ("娜", "Na"),
    ("敏", "Min"),
    ("静", "Jing"),
    ("磊", "Lei"),
    ("强", "Qiang"),
    ("军", "Jun"),
    ("洋", "Yang"),
    ("勇", "Yong"),
    ("艳", "Yan"),
    ("杰", "Jie"),
    ("涛", "Tao"),
    ("明", "Ming"),
    ("超", "Chao"),
    ("霞", "Xia"),
    ("平", "Ping"),
    ("刚", "Gang"),
    ("航", "Hang"),
    ("星", "Xing"),
    ("宇", "Yu"),
    ("晨", "Chen"),
    ("凯", "Kai"),
    ("思", "Si"),
    ("嘉", "Jia"),
    ("欣", "Xin"),
    ("鹏", "Peng"),
    ("婷", "Ting"),
    ("浩", "Hao"),
    ("琳", "Lin"),
]
TITLES = {
    StaffCategory.FRONT_LINE: [
        ("装配钳工", "Assembly fitter"),
        ("数控机床操作工", "CNC machinist"),
        ("焊工", "Welder"),
        ("试验员", "Test operator"),
    ],
    StaffCategory.TECHNICAL: [
        ("设计师", "Design engineer"),
        ("工艺工程师", "Process engineer"),
        ("质量工程师", "Quality engineer"),
        ("软件工程师", "Software engineer"),
    ],
    StaffCategory.RESEARCH: [("研究员", "Research fellow"), ("副研究员", "Associate research fellow")],
    StaffCategory.MANAGEMENT: [
        ("部门主任", "Head of department"),
        ("副主任", "Deputy head"),
        ("项目经理", "Project manager"),
    ],
    StaffCategory.SUPPORT: [
        ("人事专员", "HR officer"),
        ("财务主管", "Finance officer"),
        ("行政助理", "Administrative assistant"),
    ],
}
TEAM_KINDS = [
    ("型号总体设计团队", "Vehicle systems design team"),
    ("发动机攻关团队", "Engine breakthrough team"),
    ("精密加工班组", "Precision machining crew"),
    ("质量零缺陷团队", "Zero-defect quality team"),
    ("青年创新突击队", "Youth innovation task force"),
    ("试验保障团队", "Test support team"),
]
TEAM_ROLES = [("骨干", "core member"), ("技术负责人", "technical lead"), ("成员", "member")]

DEMO_ACCOUNTS = [
    ("office", Role.PROGRAMME_OFFICE, "ROOT"),
    ("coordinator", Role.UNIT_COORDINATOR, "A1"),
    ("coordinator2", Role.UNIT_COORDINATOR, "A1-02"),
    ("reviewer", Role.REVIEWER, "ROOT"),
    ("committee", Role.COMMITTEE, "ROOT"),
    ("vetting", Role.VETTING, "ROOT"),
    ("auditor", Role.AUDITOR, "ROOT"),
    ("employee", Role.EMPLOYEE, "C2-04"),
]


@dataclass(frozen=True)
class DemoSummary:
    units: int
    people: int
    teams: int
    accounts: int


def _unit(code: str, name: str, name_en: str, parent: OrgUnit | None) -> OrgUnit:
    unit = OrgUnit.objects.create(code=code, name=name, name_en=name_en, parent=parent, path=f"new:{code}")
    unit.path = tree.child_path(parent.path if parent else "", unit.pk)
    unit.depth = tree.depth_of(unit.path)
    unit.save(update_fields=["path", "depth"])
    return unit


def _build_units() -> list[OrgUnit]:
    root = _unit("ROOT", "曙光航天集团", "Aurora Aerospace Group", None)
    units = [root]
    for code, name, name_en in SECONDARY:
        secondary = _unit(code, name, name_en, root)
        units.append(secondary)
        for tcode, tname, tname_en in TERTIARY:
            units.append(_unit(f"{code}-{tcode}", f"{name}{tname}", f"{name_en}, {tname_en}", secondary))
    return units


def _category(rng: random.Random) -> StaffCategory:
    return rng.choices(
        [
            StaffCategory.FRONT_LINE,
            StaffCategory.TECHNICAL,
            StaffCategory.RESEARCH,
            StaffCategory.MANAGEMENT,
            StaffCategory.SUPPORT,
        ],
        weights=[40, 30, 10, 12, 8],
    )[0]


def _person(rng: random.Random, number: int, unit: OrgUnit, today: date) -> Person:
    surname, surname_py = rng.choice(SURNAMES)
    given = rng.sample(GIVEN, rng.choice([1, 2]))
    category = _category(rng)
    title, _title_en = rng.choice(TITLES[category])
    birth = date(rng.randint(1966, 2001), rng.randint(1, 12), rng.randint(1, 28))
    hire = min(today, birth.replace(year=birth.year + rng.randint(20, 30)))
    level = ManagementLevel.NONE
    if category == StaffCategory.MANAGEMENT:
        level = rng.choice([ManagementLevel.JUNIOR, ManagementLevel.MIDDLE, ManagementLevel.SENIOR])
    status = rng.choices([PersonStatus.ACTIVE, PersonStatus.RETIRED, PersonStatus.LEFT], weights=[94, 4, 2])[0]
    disciplinary = today - timedelta(days=rng.randint(30, 3000)) if rng.random() < 0.01 else None
    staff_number = f"E{number:06d}"
    return Person(
        staff_number=staff_number,
        name=surname + "".join(g for g, _ in given),
        name_en=f"{surname_py} {''.join(p for _, p in given)}",
        gender=rng.choice([Gender.FEMALE, Gender.MALE]),
        birth_date=birth,
        hire_date=hire,
        job_title=title,
        staff_category=category,
        management_level=level,
        unit=unit,
        status=status,
        disciplinary_date=disciplinary,
        email=f"{staff_number.lower()}@aurora.example",
    )


def _build_people(rng: random.Random, units: list[OrgUnit]) -> list[Person]:
    today = DEMO_TODAY
    people: list[Person] = []
    number = 1
    for unit in units:
        size = {0: 30, 1: 12}.get(unit.depth, rng.randint(38, 52))
        for _ in range(size):
            people.append(_person(rng, number, unit, today))
            number += 1
    Person.objects.bulk_create(people, batch_size=1000)
    return list(Person.objects.select_related("unit").order_by("staff_number"))


def _build_teams(rng: random.Random, units: list[OrgUnit], people: list[Person]) -> list[Team]:
    by_unit: dict[int, list[Person]] = {}
    for p in people:
        if p.status == PersonStatus.ACTIVE:
            by_unit.setdefault(p.unit_id, []).append(p)
    tertiary = [u for u in units if u.depth == 2]
    teams: list[Team] = []
    memberships: list[TeamMembership] = []
    for i in range(60):
        unit = tertiary[i % len(tertiary)]
        kind, kind_en = TEAM_KINDS[i % len(TEAM_KINDS)]
        members = rng.sample(by_unit[unit.pk], rng.randint(4, 12))
        team = Team.objects.create(
            code=f"T{i + 1:03d}",
            name=f"{unit.name}{kind}",
            name_en=f"{unit.name_en} — {kind_en}",
            unit=unit,
            lead=members[0],
        )
        teams.append(team)
        for j, member in enumerate(members):
            role = "队长" if j == 0 else rng.choice(TEAM_ROLES)[0]
            memberships.append(TeamMembership(team=team, person=member, role=role))
    TeamMembership.objects.bulk_create(memberships)
    return teams


def _build_accounts(units: list[OrgUnit], people: list[Person]) -> list[User]:
    by_code = {u.code: u for u in units}
    users = []
    now = clock.now()
    for username, role, unit_code in DEMO_ACCOUNTS:
        unit = by_code[unit_code]
        person = next(
            p for p in people if p.unit_id == unit.pk and p.status == PersonStatus.ACTIVE and not hasattr(p, "_taken")
        )
        person._taken = True  # type: ignore[attr-defined]
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD, email=person.email, person=person)
        RoleGrant.objects.create(user=user, role=role, unit=unit, granted_at=now)
        users.append(user)
    return users


def load_demo(*, actor: User | None = None) -> DemoSummary:
    """Create the demo organisation in an empty database. Logs ``exemplar.people.demo_loaded``."""
    rng = random.Random(SEED)
    with transaction.atomic():
        units = _build_units()
        people = _build_people(rng, units)
        teams = _build_teams(rng, units, people)
        accounts = _build_accounts(units, people)
        summary = DemoSummary(len(units), len(people), len(teams), len(accounts))
        log_action(actor, "exemplar.people.demo_loaded", units[0], summary.__dict__)
    return summary
