"""The directory file format: sheets, columns, header aliases, allowed values (pure: no Django).

``docs/directory-import.md`` documents this module for people who fill in
the file; keep the two in step. Allowed values are the ``TextChoices``
values of ``people.enums`` (a test checks they agree) plus fixed Chinese
aliases. The aliases live here, not in the translation catalogue, so the
file format does not change when a translator rewords a label.
"""

from __future__ import annotations

from dataclasses import dataclass

UNITS = "units"
PEOPLE = "people"
TEAMS = "teams"
TEAM_MEMBERS = "team_members"
KINDS = (UNITS, PEOPLE, TEAMS, TEAM_MEMBERS)

# Sheet names a workbook may use besides the English ones.
SHEET_ALIASES = {"单位": UNITS, "人员": PEOPLE, "团队": TEAMS, "团队成员": TEAM_MEMBERS}

TEXT = "text"
DATE = "date"
CHOICE = "choice"
EMAIL = "email"

# Levels of the unit tree: a path holds 25 segments of 10 characters (255 max).
MAX_DEPTH = 24


@dataclass(frozen=True)
class Column:
    name: str
    type: str = TEXT
    required: bool = False
    max_length: int = 0
    aliases: tuple[str, ...] = ()
    example: str = ""


UNIT_COLUMNS = (
    Column("code", required=True, max_length=40, aliases=("单位编码", "编码"), example="A1-02"),
    Column("name", required=True, max_length=200, aliases=("单位名称", "名称"), example="第一研究院动力研究所"),
    Column("name_en", max_length=200, aliases=("英文名称",), example="First Academy, Propulsion Institute"),
    Column("parent_code", max_length=40, aliases=("上级单位编码", "上级编码"), example="A1"),
)
PERSON_COLUMNS = (
    Column("staff_number", required=True, max_length=40, aliases=("工号", "员工编号"), example="E000123"),
    Column("name", required=True, max_length=120, aliases=("姓名",), example="王芳"),
    Column("name_en", max_length=120, aliases=("英文名", "英文姓名"), example="Wang Fang"),
    Column("gender", type=CHOICE, aliases=("性别",), example="female"),
    Column("birth_date", type=DATE, aliases=("出生日期",), example="1988-04-12"),
    Column("hire_date", type=DATE, aliases=("入职日期", "参加工作日期"), example="2010-07-01"),
    Column("job_title", max_length=120, aliases=("职务", "岗位"), example="设计师"),
    Column("staff_category", type=CHOICE, required=True, aliases=("人员类别", "员工类别"), example="technical"),
    Column("management_level", type=CHOICE, aliases=("管理层级",), example="none"),
    Column("unit_code", required=True, max_length=40, aliases=("单位编码", "所在单位编码"), example="A1-02"),
    Column("status", type=CHOICE, aliases=("状态", "在职状态"), example="active"),
    Column("disciplinary_date", type=DATE, aliases=("处分日期",), example=""),
    Column("email", type=EMAIL, max_length=254, aliases=("电子邮箱", "邮箱"), example="e000123@example.org"),
)
TEAM_COLUMNS = (
    Column("code", required=True, max_length=40, aliases=("团队编码",), example="T001"),
    Column("name", required=True, max_length=200, aliases=("团队名称",), example="发动机攻关团队"),
    Column("name_en", max_length=200, aliases=("英文名称",), example="Engine breakthrough team"),
    Column("unit_code", required=True, max_length=40, aliases=("单位编码", "所属单位编码"), example="A1-02"),
    Column("lead_staff_number", max_length=40, aliases=("负责人工号",), example="E000123"),
)
MEMBER_COLUMNS = (
    Column("team_code", required=True, max_length=40, aliases=("团队编码",), example="T001"),
    Column("staff_number", required=True, max_length=40, aliases=("工号",), example="E000123"),
    Column("role", max_length=120, aliases=("团队角色", "角色"), example="技术负责人"),
)
COLUMNS: dict[str, tuple[Column, ...]] = {
    UNITS: UNIT_COLUMNS,
    PEOPLE: PERSON_COLUMNS,
    TEAMS: TEAM_COLUMNS,
    TEAM_MEMBERS: MEMBER_COLUMNS,
}

# The columns that identify a row (the upsert key).
KEYS: dict[str, tuple[str, ...]] = {
    UNITS: ("code",),
    PEOPLE: ("staff_number",),
    TEAMS: ("code",),
    TEAM_MEMBERS: ("team_code", "staff_number"),
}

# A CSV file holds one kind, told by its header: the first kind whose
# signature columns are all present wins, so the order matters.
SIGNATURES: tuple[tuple[str, frozenset[str]], ...] = (
    (TEAM_MEMBERS, frozenset({"team_code", "staff_number"})),
    (PEOPLE, frozenset({"staff_number", "name"})),
    (UNITS, frozenset({"code", "parent_code"})),
    (TEAMS, frozenset({"code", "unit_code"})),
)

# Allowed values of the choice columns, each with the spellings accepted for it.
# The first entry of each vocabulary is used when the cell is empty.
VOCABULARIES: dict[str, dict[str, tuple[str, ...]]] = {
    "gender": {
        "undisclosed": ("未说明", "不详", "not stated"),
        "female": ("女", "女性", "f"),
        "male": ("男", "男性", "m"),
    },
    "staff_category": {
        "front_line": ("一线职工", "一线员工", "一线工人", "front-line worker"),
        "technical": ("技术人员", "专业技术人员", "technical staff"),
        "management": ("管理人员",),
        "research": ("科研人员", "研究人员"),
        "support": ("保障人员", "辅助人员", "support staff"),
    },
    "management_level": {
        "none": ("无", "非管理岗位"),
        "junior": ("基层管理", "初级管理", "junior management"),
        "middle": ("中层管理", "中层", "middle management"),
        "senior": ("高层管理", "高层", "senior management"),
    },
    "status": {
        "active": ("在职",),
        "retired": ("退休",),
        "left": ("离职",),
    },
}
# Choice columns that may be left empty (they then take the default).
OPTIONAL_CHOICES = frozenset({"gender", "management_level", "status"})


def normalise_label(raw: object) -> str:
    """A header or vocabulary token as compared: trimmed, case-folded, spaces and dashes as underscores."""
    text = "" if raw is None else str(raw)
    return text.strip().casefold().replace(" ", "_").replace("-", "_")


def default_value(column: str) -> str:
    return next(iter(VOCABULARIES[column]))


def _build_vocab_lookup() -> dict[str, dict[str, str]]:
    lookup: dict[str, dict[str, str]] = {}
    for column, values in VOCABULARIES.items():
        table: dict[str, str] = {}
        for value, aliases in values.items():
            table[normalise_label(value)] = value
            for alias in aliases:
                table[normalise_label(alias)] = value
        lookup[column] = table
    return lookup


VOCAB_LOOKUP = _build_vocab_lookup()


def _build_header_lookup() -> dict[str, dict[str, str]]:
    lookup: dict[str, dict[str, str]] = {}
    for kind, columns in COLUMNS.items():
        table: dict[str, str] = {}
        for column in columns:
            table[normalise_label(column.name)] = column.name
            for alias in column.aliases:
                table[normalise_label(alias)] = column.name
        lookup[kind] = table
    return lookup


HEADER_LOOKUP = _build_header_lookup()


def sheet_kind(sheet_name: str) -> str | None:
    """The kind a workbook sheet holds, told by its name, or None for another sheet."""
    name = normalise_label(sheet_name)
    if name in KINDS:
        return name
    return SHEET_ALIASES.get(sheet_name.strip())


def guess_kind(header: list[object]) -> str | None:
    """The kind a header row describes (for CSV files and unnamed sheets), or None."""
    for kind, signature in SIGNATURES:
        table = HEADER_LOOKUP[kind]
        found = {table.get(normalise_label(cell)) for cell in header}
        if signature <= found:
            return kind
    return None


def column(kind: str, name: str) -> Column:
    return next(c for c in COLUMNS[kind] if c.name == name)
