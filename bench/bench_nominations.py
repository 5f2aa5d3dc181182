"""Benchmark: the office's screening pages with 10,000 nominations.

    PYTHONPATH=src .venv/bin/python bench/bench_nominations.py                 # SQLite, writes docs/benchmarks.md
    EXEMPLAR_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        PYTHONPATH=src .venv/bin/python bench/bench_nominations.py             # PostgreSQL (a fresh database)

Seeds (with ``bulk_create``, seed 2026) an organisation of 3,000 units and
150,000 people (``--org demo`` uses the 2,000-person demo organisation
instead), 2,000 teams, an honour register, one programme with its
categories, rules and vetting departments, and 10,000 nominations spread
over units, categories and states, with deliberate duplicates and vetting
decisions. The eligibility and duplicate checks then run for real
(``check_programme``, timed). Each page is fetched in-process with Django's
test ``Client`` under production settings (``EXEMPLAR_DEBUG=0``): three
warm-up requests, then ``--runs`` timed ones (``time.perf_counter`` around
``client.get``), reporting the median and the 95th percentile, and the
number of SQL queries of one more request. Goal: under 200 ms each.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Nominations at 10,000"
SEED = 2026
YEAR = 2026
LEVEL_SIZES = (1, 12, 120, 900, 1500, 467)  # 3,000 units, as in bench_import.py
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢"
GIVEN = "伟芳娜敏静磊强军洋勇艳杰涛明超霞平刚航星宇晨凯思嘉欣鹏婷浩琳"
# State mix of the nominations (the office never sees drafts; they are here to be filtered out).
STATES = (
    ("draft", 3),
    ("submitted", 10),
    ("returned", 2),
    ("received", 40),
    ("confirmed", 20),
    ("approved", 12),
    ("rejected", 6),
    ("vetoed", 4),
    ("withdrawn", 3),
)
GOAL_MS = 200
# A dossier's narrative is typically 1,500-3,000 characters: about 6 KB of UTF-8 here, so that table
# scans cost what they would with real dossiers.
DEEDS = "".join(f"<p>{i}. 连续十年保持零缺陷, 主持完成多项关键工艺攻关, 带领班组攻克难题。</p>" for i in range(60))


def configure(database_url: str, var_dir: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "exemplar.config.settings",
            "EXEMPLAR_DATABASE_URL": database_url,
            "EXEMPLAR_VAR_DIR": str(var_dir),
            "EXEMPLAR_DEBUG": "0",  # production settings: no query log, manifest static files
            "EXEMPLAR_SECRET_KEY": secrets.token_urlsafe(50),
            "EXEMPLAR_ALLOWED_HOSTS": "testserver",
            "EXEMPLAR_SSL_REDIRECT": "0",
            "EXEMPLAR_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "EXEMPLAR_LOG_LEVEL": "WARNING",
            "EXEMPLAR_LANGUAGE_CODE": "zh-hans",
        }
    )
    import django

    django.setup()


# --- seeding ------------------------------------------------------------------------------------


def _reset_sequences(*models: Any) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


def seed_group(rng: random.Random, n_people: int) -> None:
    """3,000 units (ids given, so paths are known before the insert) and ``n_people`` people."""
    from exemplar.people.domain import tree
    from exemplar.people.models import OrgUnit, Person

    units: list[OrgUnit] = []
    previous: list[OrgUnit] = []
    for depth, size in enumerate(LEVEL_SIZES):
        level = []
        for _ in range(size):
            pk = len(units) + 1
            parent = rng.choice(previous) if previous else None
            path = tree.child_path(parent.path if parent else "", pk)
            unit = OrgUnit(
                id=pk,
                code="ROOT" if pk == 1 else f"U{pk:04d}",
                name="集团" if pk == 1 else f"单位{pk:04d}",
                name_en="The Group" if pk == 1 else f"Unit {pk:04d}",
                parent=parent,
                path=path,
                depth=depth,
            )
            units.append(unit)
            level.append(unit)
        previous = level
    OrgUnit.objects.bulk_create(units, batch_size=1000)
    _reset_sequences(OrgUnit)
    below_root = units[1:]
    people = []
    for number in range(1, n_people + 1):
        hire = date(2026, 1, 1) - timedelta(days=rng.randrange(40, 30 * 365))
        people.append(
            Person(
                staff_number=f"E{number:06d}",
                name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                name_en=f"Employee {number}",
                hire_date=hire if rng.random() > 0.01 else None,
                staff_category=rng.choice(["front_line", "technical", "research", "management", "support"]),
                unit=rng.choice(below_root),
                status=rng.choices(["active", "retired", "left"], [94, 4, 2])[0],
                disciplinary_date=(date(2026, 1, 1) - timedelta(days=rng.randrange(3000)))
                if rng.random() < 0.01
                else None,
            )
        )
    Person.objects.bulk_create(people, batch_size=2000)


def seed_demo() -> None:
    from exemplar.people.domain.demo import load_demo

    load_demo()


def seed_teams_and_honours(rng: random.Random, n_teams: int) -> None:
    from exemplar.commendations.models import Honour
    from exemplar.people.models import Person, Team, TeamMembership

    teams = Team.objects.count()
    by_unit: dict[int, list[int]] = {}
    for pk, unit_id in Person.objects.values_list("pk", "unit_id"):
        by_unit.setdefault(unit_id, []).append(pk)
    homes = [u for u, people in by_unit.items() if len(people) >= 6]
    new = []
    for i in range(max(0, n_teams - teams)):
        new.append(Team(code=f"BT{i:05d}", name=f"攻关团队{i}", name_en=f"Task force {i}", unit_id=rng.choice(homes)))
    Team.objects.bulk_create(new, batch_size=1000)
    memberships = []
    for team in Team.objects.filter(code__startswith="BT"):
        for person_id in rng.sample(by_unit[team.unit_id], min(len(by_unit[team.unit_id]), rng.randint(4, 10))):
            memberships.append(TeamMembership(team=team, person_id=person_id))
    TeamMembership.objects.bulk_create(memberships, batch_size=2000)
    people = list(Person.objects.values_list("pk", flat=True))
    team_ids = list(Team.objects.values_list("pk", flat=True))
    honours = []
    for _ in range(len(people) // 100):
        year = rng.randint(2018, 2025)
        honours.append(
            Honour(
                category_code="individual",
                title="榜样个人",
                year=year,
                person_id=rng.choice(people),
                conferred_on=date(year, 12, 1),
                revoked_on=date(year + 1, 3, 1) if rng.random() < 0.1 else None,
            )
        )
    for _ in range(len(team_ids) // 10):
        year = rng.randint(2018, 2025)
        honours.append(
            Honour(
                category_code="team",
                title="榜样团队",
                year=year,
                team_id=rng.choice(team_ids),
                conferred_on=date(year, 12, 1),
            )
        )
    Honour.objects.bulk_create(honours, batch_size=2000)


def seed_programme() -> Any:
    from exemplar.people.models import User
    from exemplar.programmes.enums import CategoryKind, PhaseKind
    from exemplar.programmes.models import Category, Phase, Programme, VettingDepartment

    creator = User.objects.create_user(username="bench-office", password=secrets.token_urlsafe(16))
    programme = Programme.objects.create(
        name=f"{YEAR}年度榜样评选", name_en=f"Role Models {YEAR}", year=YEAR, created_by=creator, created_at=_now()
    )
    Category.objects.create(
        programme=programme, code="individual", name="榜样个人", name_en="Role model", kind=CategoryKind.INDIVIDUAL,
        seats=2, order=1, min_service_years=5, disciplinary_window_years=3, honour_window_years=3,
    )  # fmt: skip
    Category.objects.create(
        programme=programme, code="team", name="榜样团队", name_en="Role-model team", kind=CategoryKind.COLLECTIVE,
        seats=8, order=2, min_service_years=3, honour_window_years=3,
    )  # fmt: skip
    flags = {"nomination": {"can_nominate": True, "can_endorse": True}, "screening": {"can_screen": True}}
    for order, kind in enumerate(PhaseKind.values):
        phase = Phase.objects.create(programme=programme, kind=kind, order=order, **flags.get(kind, {}))
        if kind == PhaseKind.SCREENING:
            programme.current_phase = phase
    programme.save(update_fields=["current_phase"])
    for order, (name, name_en) in enumerate(
        [("纪检监察", "Discipline inspection"), ("人力资源", "HR"), ("安全生产", "Safety")]
    ):
        VettingDepartment.objects.create(programme=programme, name=name, name_en=name_en, order=order)
    return programme


def refresh_statistics() -> None:
    """What autovacuum (PostgreSQL) or ``PRAGMA optimize`` (SQLite) would soon do after a bulk load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _now() -> datetime:
    return datetime(YEAR, 3, 1, 2, 0, tzinfo=UTC)


def seed_nominations(rng: random.Random, programme: Any, n: int) -> None:
    """``n`` nominations across units, categories and states; about 2% deliberate duplicates."""
    from exemplar.nominations.models import Nomination, VettingDecision
    from exemplar.people.domain import tree
    from exemplar.people.models import OrgUnit, Person, Team

    units = {u.pk: u for u in OrgUnit.objects.all()}
    people = list(Person.objects.values_list("pk", "unit_id"))
    teams = list(Team.objects.values_list("pk", "unit_id"))
    individual, team_cat = programme.categories.get(code="individual"), programme.categories.get(code="team")
    creator = programme.created_by
    states = [s for s, _ in STATES]
    weights = [w for _, w in STATES]

    def nominator(unit_id: int) -> OrgUnit:
        ids = tree.ids_in_path(units[unit_id].path)[1:4]  # a secondary, tertiary or quaternary unit above the nominee
        return units[rng.choice(ids)] if ids else units[unit_id]

    wanted = int(n * 0.8)
    chosen_people = rng.sample(people, wanted) if wanted <= len(people) else rng.choices(people, k=wanted)
    chosen_people += rng.sample(chosen_people, n // 100)  # the same person twice
    rows = []
    for i in range(n):
        at = _now() - timedelta(minutes=rng.randrange(60 * 24 * 60))
        if i % 5 == 4 or i >= len(chosen_people):
            team_id, unit_id = rng.choice(teams)
            kind = {"team_id": team_id, "category": team_cat}
        else:
            person_id, unit_id = chosen_people[i]
            kind = {"person_id": person_id, "category": individual}
        state = rng.choices(states, weights)[0]
        rows.append(
            Nomination(
                programme=programme,
                reference=f"{YEAR}-{kind['category'].code.upper()}-{i + 1:05d}",
                unit=nominator(unit_id),
                state=state,
                title="十年零缺陷",
                deeds=DEEDS,
                achievements="\n".join(f"{y}年度先进个人" for y in range(2015, 2025)),
                created_by=creator,
                created_at=at,
                updated_at=at,
                submitted_at=None if state == "draft" else at,
                **kind,
            )
        )
    Nomination.objects.bulk_create(rows, batch_size=1000)
    departments = list(programme.vetting_departments.order_by("order"))
    decisions = []
    for nomination in Nomination.objects.filter(programme=programme, state__in=["confirmed", "approved", "vetoed"]):
        if nomination.state == "approved":
            verdicts = ["approved"] * len(departments)
        elif nomination.state == "vetoed":
            verdicts = ["approved", "vetoed", None]
        else:
            verdicts = [rng.choice(["approved", None]) for _ in departments]
        for department, verdict in zip(departments, verdicts, strict=True):
            if verdict:
                decisions.append(
                    VettingDecision(
                        nomination=nomination,
                        department=department,
                        verdict=verdict,
                        reason="复核中发现问题" if verdict == "vetoed" else "",
                        decided_by=creator,
                        decided_at=_now(),
                    )
                )
    VettingDecision.objects.bulk_create(decisions, batch_size=2000)


def seed_accounts(programme: Any) -> None:
    from exemplar.people.enums import Role
    from exemplar.people.models import OrgUnit, RoleGrant, User

    root = OrgUnit.objects.get(depth=0)
    secondary = OrgUnit.objects.filter(depth=1).order_by("path").first()
    office = programme.created_by
    coordinator = User.objects.create_user(username="bench-coordinator", password=secrets.token_urlsafe(16))
    signatory = User.objects.create_user(username="bench-signatory", password=secrets.token_urlsafe(16))
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(user=office, role=Role.PROGRAMME_OFFICE, unit=root, granted_at=_now()),
            RoleGrant(user=coordinator, role=Role.UNIT_COORDINATOR, unit=secondary, granted_at=_now()),
            RoleGrant(user=signatory, role=Role.VETTING, unit=root, granted_at=_now()),
        ]
    )
    programme.vetting_departments.order_by("order").first().members.add(signatory)


def existing_accounts() -> dict[str, Any]:
    from exemplar.people.models import OrgUnit, User

    found: dict[str, Any] = {n: User.objects.get(username=f"bench-{n}") for n in ("office", "coordinator", "signatory")}
    found["secondary"] = OrgUnit.objects.filter(depth=1).order_by("path").first()
    return found


# --- measuring ------------------------------------------------------------------------------------


def measure(client: Any, url: str, runs: int, **headers: str) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        response = client.get(url, secure=True, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, secure=True, headers=headers)
        _ = response.content
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, secure=True, headers=headers)
    times.sort()
    p95 = times[max(0, -(-95 * len(times) // 100) - 1)]
    return {
        "median": statistics.median(times),
        "p95": p95,
        "queries": len(ctx.captured_queries),
        "bytes": len(response.content),
    }


def pages(programme: Any, accounts: dict[str, Any]) -> list[tuple[str, str, str, dict[str, str]]]:
    """(label, account, url, headers) of every page measured."""
    from urllib.parse import urlencode

    from django.urls import NoReverseMatch, reverse

    from exemplar.nominations.models import Nomination

    dashboard = reverse("backoffice:office_dashboard", args=[programme.pk])
    export = reverse("backoffice:office_export", args=[programme.pk])
    individual = programme.categories.get(code="individual").pk
    filtered = urlencode(
        {"state": "received", "category": individual, "unit": accounts["secondary"].pk, "eligibility": "blocking"}
    )
    team_dossier = Nomination.objects.filter(programme=programme, state="received", team__isnull=False).order_by("pk")
    dossier = (team_dossier.exclude(eligibility=[]).first() or team_dossier.first()).get_absolute_url()
    matrix = reverse("backoffice:vetting_matrix", args=[programme.pk])
    last_page = -(-Nomination.objects.filter(programme=programme).exclude(state="draft").count() // 50)
    listed = [
        ("Office dashboard", "office", dashboard, {}),
        (
            "Office dashboard, filtered (state, category, unit subtree, failing a rule)",
            "office",
            f"{dashboard}?{filtered}",
            {},
        ),
        ("Office dashboard, search by name (王伟)", "office", f"{dashboard}?{urlencode({'q': '王伟'})}", {}),
        (
            "Office dashboard, live search (htmx partial, reference)",
            "office",
            f"{dashboard}?q=0421",
            {"HX-Request": "true"},
        ),
        ("Office dashboard, last page", "office", f"{dashboard}?page={last_page}", {}),
        ("XLSX export, filtered", "office", f"{export}?{filtered}", {}),
        ("XLSX export, all dossiers", "office", export, {}),
        ("Dossier page (team, with findings)", "office", dossier, {}),
        ("Vetting matrix", "office", matrix, {}),
        ("Vetting matrix, still being vetted", "office", f"{matrix}?missing=1", {}),
        ("Department worklist", "signatory", reverse("backoffice:vetting_worklist", args=[programme.pk]), {}),
    ]
    try:
        coordinator = reverse("backoffice:coordinator_dashboard", args=[programme.pk])
        listed.append(("Coordinator dashboard (a secondary unit)", "coordinator", coordinator, {}))
    except NoReverseMatch:
        pass
    return listed


def profile(client: Any, url: str, headers: dict[str, str]) -> None:
    """Where a slow page spends its time (``--profile``): the top functions by cumulative time."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url, secure=True, headers=headers)
    for query in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:5]:
        print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:300]}", file=sys.stderr)
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url, secure=True, headers=headers)
    profiler.disable()
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)


# --- reporting ------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def table(results: list[tuple[str, dict[str, Any]]]) -> list[str]:
    lines = ["| Page | Median (ms) | p95 (ms) | Queries | Size | Under 200 ms |", "|---|--:|--:|--:|--:|---|"]
    for label, r in results:
        ok = "yes" if r["p95"] < GOAL_MS else "**no**"
        lines.append(
            f"| {label} | {r['median']:.0f} | {r['p95']:.0f} | {r['queries']} | {r['bytes'] / 1024:,.0f} KB | {ok} |"
        )
    return lines


def section(runs: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    parts = [
        SECTION,
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()} by `bench/bench_nominations.py` (seed {SEED}, "
        f"{args.runs} timed runs per page).",
        "",
        "**Method.** A fresh database is seeded with `bulk_create`: the organisation, teams and an honour "
        "register, one programme (two categories with eligibility rules, three vetting departments, current phase "
        "*screening*), and the nominations spread over nominating units (secondary to fourth level), categories "
        "(4 in 5 individual; each dossier with a narrative of about 6 KB) and states (draft 3 %, awaiting endorsement 10 %, returned 2 %, received 40 %, "
        "confirmed 20 %, cleared 12 %, rejected 6 %, vetoed 4 %, withdrawn 3 %), with 1 % of people nominated "
        "twice and vetting decisions for every candidate in vetting; then the planner's statistics are refreshed "
        "(`VACUUM ANALYZE` on PostgreSQL, `ANALYZE` on SQLite, as autovacuum or `PRAGMA optimize` would soon do). "
        "Then `check_programme` runs the real "
        "eligibility and duplicate checks over every standing nomination. Pages are fetched in-process through "
        "Django's test `Client` with production settings (`EXEMPLAR_DEBUG=0`, manifest static files, signed-in "
        "session): three warm-up requests, then the timed runs (`time.perf_counter()` around `client.get`, "
        "response body read); *p95* is the nearest-rank 95th percentile; *Queries* counts the SQL statements of "
        "one more request (session, user, grants and the layout's own included). Server time only: no network, "
        "no browser.",
        "",
    ]
    for name, run in runs.items():
        parts += [
            f"### {name}",
            "",
            f"{run['org']}; {run['nominations']:,} nominations ({run['standing']:,} standing, "
            f"{run['with_findings']:,} failing a rule, {run['with_duplicates']:,} possible duplicates). "
            f"Seeding took {run['seed_s']:.0f} s; `check_programme` over the standing nominations took "
            f"{run['check_s']:.1f} s. Load average (1 min) while measuring: {run['load'][0]} before, "
            f"{run['load'][1]} after (the machine is shared; a load above its CPU count slows every figure).",
            "",
            *table(run["results"]),
            "",
        ]
    parts += [
        "**Reading the figures.** Every list page shows 50 rows and costs the same number of queries whatever "
        "the number of nominations. Counts by state and by secondary unit x category are one `GROUP BY` each over "
        "the covering index `nomination_office_list_idx` (programme, state, unit, category, person, team, "
        "reference): SQLite never reads a dossier's wide row (its ~6 KB narrative) for them, and the unit's "
        "secondary branch is a prefix of its materialised path. The list takes one page of ids from the same "
        "index (ordered by `id + 0`, so that SQLite sorts ids from the index rather than walking the table in id "
        "order, which reads every wide row when a filter or a search matches few) and then reads only those 50 "
        "rows. What still reads rows: the eligibility and duplicate filters (JSON columns stored after the "
        "narrative) and a search's match on people's and teams' names (by primary key). The vetting matrix and "
        "the worklist take one page of candidates in id order from the (programme, state) index, and count "
        "decisions against ids from that index.",
        "",
        "**Over the goal.** The export of *every* dossier: openpyxl alone needs about 1.5 s to write 10,000 rows "
        "of this width on this machine, and the rows are read and put into words first. It is an occasional "
        "download, not a page, and a filtered export (a unit, a state) stays small; the way to bring the full one "
        "under the goal is to build it in a background task (django-tasks) and offer the file when it is ready, "
        "which is not done yet.",
        "",
    ]
    return "\n".join(parts)


def write_doc(text: str) -> None:
    header = (
        "# Benchmarks\n\nFigures come from the scripts in `bench/`, run on the project's development machine "
        "unless a section says otherwise. Each section says how it was measured; rerun the script to refresh it.\n\n"
    )
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else header
    if SECTION in current:
        start = current.index(SECTION)
        following = current.find("\n## ", start + len(SECTION))
        before = current[:start].rstrip("\n") + "\n\n"
        current = before + text + ("\n" + current[following + 1 :] if following != -1 else "")
    else:
        current = current.rstrip("\n") + "\n\n" + text
    DOC.write_text(current.rstrip("\n") + "\n", encoding="utf-8")


# --- one run against one database -------------------------------------------------------------------


def run(args: argparse.Namespace, database_url: str, var_dir: Path) -> dict[str, Any]:
    configure(database_url, var_dir)
    from django.core.management import call_command
    from django.test import Client

    from exemplar.nominations.domain.screening import check_programme
    from exemplar.nominations.models import Nomination
    from exemplar.people.models import OrgUnit, Person, Team
    from exemplar.programmes.models import Programme

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    if OrgUnit.objects.exists() and not args.reuse:
        raise SystemExit(
            "The bench database must be empty: point EXEMPLAR_BENCH_DATABASE_URL at a server, not a data set."
        )
    seed_s = float("nan")
    if not OrgUnit.objects.exists():
        rng = random.Random(SEED)
        started = time.perf_counter()
        if args.org == "demo":
            seed_demo()
        else:
            seed_group(rng, args.people)
        seed_teams_and_honours(rng, 2000)
        seed_nominations(rng, seed_programme(), args.nominations)
        seed_accounts(Programme.objects.get())
        seed_s = time.perf_counter() - started
        print(f"seeded in {seed_s:.1f} s", file=sys.stderr)
        refresh_statistics()
    programme = Programme.objects.select_related("created_by").get()
    accounts = existing_accounts()

    started = time.perf_counter()
    check_programme(programme, actor=accounts["office"])
    check_s = time.perf_counter() - started
    print(f"check_programme in {check_s:.1f} s", file=sys.stderr)

    clients = {}
    for name in ("office", "signatory", "coordinator"):
        clients[name] = Client()
        clients[name].force_login(accounts[name])
    results = []
    load_before = os.getloadavg()[0]
    for label, who, url, headers in pages(programme, accounts):
        result = measure(clients[who], url, args.runs, **headers)
        results.append((label, result))
        print(f"{label:80s} {result['median']:7.1f} {result['p95']:7.1f} {result['queries']:3d}", file=sys.stderr)
        if args.profile and result["p95"] >= GOAL_MS:
            profile(clients[who], url, headers)
    standing = Nomination.objects.filter(
        programme=programme, state__in=["submitted", "received", "confirmed", "approved"]
    )
    return {
        "org": f"{OrgUnit.objects.count():,} units, {Person.objects.count():,} people, {Team.objects.count():,} teams",
        "nominations": Nomination.objects.count(),
        "standing": standing.count(),
        "with_findings": standing.filter(eligibility__0__severity="blocker").count(),
        "with_duplicates": standing.exclude(duplicates=[]).count(),
        "seed_s": seed_s,
        "load": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "check_s": check_s,
        "results": results,
    }


def ensure_postgres(url: str, dbname: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone():
            conn.execute(f'CREATE DATABASE "{dbname}"')


def fresh_postgres(url: str) -> tuple[str, str]:
    import psycopg

    dbname = f"exemplar_bench_nominations_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        conn.execute(f'CREATE DATABASE "{dbname}"')
    base, _slash, _old = url.rpartition("/")
    return f"{base}/{dbname}", dbname


def drop_postgres(url: str, dbname: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nominations", type=int, default=10_000)
    parser.add_argument("--org", choices=["group", "demo"], default="group")
    parser.add_argument("--people", type=int, default=150_000, help="people in the group organisation")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-write", action="store_true", help="print the section instead of updating docs")
    parser.add_argument("--profile", action="store_true", help="print a profile of each page over the goal")
    parser.add_argument(
        "--reuse",
        metavar="FILE_OR_DATABASE",
        help="seed this SQLite file (or PostgreSQL database name) once and reuse it on later runs (for profiling)",
    )
    args = parser.parse_args()
    postgres = os.environ.get("EXEMPLAR_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="exemplar-bench-") as folder:
        if postgres and args.reuse:
            name = "PostgreSQL"
            base, _slash, _old = postgres.rpartition("/")
            ensure_postgres(postgres, args.reuse)
            result = run(args, f"{base}/{args.reuse}", Path(folder))
        elif postgres:
            url, dbname = fresh_postgres(postgres)
            try:
                name = "PostgreSQL"
                result = run(args, url, Path(folder))
            finally:
                drop_postgres(postgres, dbname)
        else:
            name = "SQLite"
            database = Path(args.reuse) if args.reuse else Path(folder) / "bench.sqlite3"
            result = run(args, f"sqlite:///{database}", Path(folder))
    text = section(_remember(name, result), args)
    if args.no_write:
        print(text)
    else:
        write_doc(text)
        print(f"Wrote the section to {DOC}", file=sys.stderr)


# Each database's latest results, kept between runs so that one section shows SQLite and PostgreSQL.
CACHE = ROOT / "var" / "bench-nominations.json"


def _remember(name: str, result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    import json

    data = json.loads(CACHE.read_text()) if CACHE.exists() else {}
    data[name] = result
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    order = ["SQLite", "PostgreSQL"]
    return {k: {**data[k], "results": [tuple(r) for r in data[k]["results"]]} for k in sorted(data, key=order.index)}


if __name__ == "__main__":
    main()
