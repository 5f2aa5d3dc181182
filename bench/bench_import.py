"""Benchmark: importing 3,000 units and 150,000 people, from CSV and from XLSX.

    PYTHONPATH=src .venv/bin/python bench/bench_import.py            # SQLite, writes docs/benchmarks.md
    PYTHONPATH=src .venv/bin/python bench/bench_import.py --postgres postgres://postgres@127.0.0.1:5432/postgres

A seeded generator writes the files into a temporary directory. Each
scenario then runs in a fresh Python process (so its peak memory is its
own) against a fresh database: a first import into an empty directory, then
the same files again (nothing to change, nothing logged), then a file where
one person in ten changed unit and title. Every import goes through
``start_directory_import`` and the task (the immediate backend), as an
upload would; phase times come from the importer's own log line.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Directory import"
SEED = 2026
LEVEL_SIZES = (1, 12, 120, 900, 1500, 467)  # 3,000 units, root at level 0, leaves at level 5
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢"
GIVEN = "伟芳娜敏静磊强军洋勇艳杰涛明超霞平刚航星宇晨凯思嘉欣鹏婷浩琳"
TITLES = ("设计师", "工艺工程师", "质量工程师", "装配钳工", "焊工", "研究员", "项目经理", "人事专员")
CATEGORIES = (("front_line", 40), ("technical", 30), ("research", 10), ("management", 12), ("support", 8))
PERSON_HEADER = [
    "staff_number",
    "name",
    "name_en",
    "gender",
    "birth_date",
    "hire_date",
    "job_title",
    "staff_category",
    "management_level",
    "unit_code",
    "status",
    "disciplinary_date",
    "email",
]


# --- generating the files ------------------------------------------------------------------


def make_units(rng: random.Random) -> list[list[str]]:
    rows = [["ROOT", "集团", "The Group", ""]]
    previous = ["ROOT"]
    number = 1
    for size in LEVEL_SIZES[1:]:
        level = []
        for _ in range(size):
            code = f"U{number:04d}"
            number += 1
            rows.append([code, f"单位{code}", f"Unit {code}", rng.choice(previous)])
            level.append(code)
        previous = level
    return rows


def make_person(rng: random.Random, number: int, unit_codes: list[str]) -> list[str]:
    staff_number = f"E{number:06d}"
    birth = date(1960, 1, 1) + timedelta(days=rng.randrange(42 * 365))
    hire = birth + timedelta(days=rng.randrange(20 * 365, 30 * 365))
    category = rng.choices([c for c, _ in CATEGORIES], [w for _, w in CATEGORIES])[0]
    level = rng.choice(["junior", "middle", "senior"]) if category == "management" else "none"
    disciplinary = (hire + timedelta(days=rng.randrange(3000))).isoformat() if rng.random() < 0.01 else ""
    return [
        staff_number,
        rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
        f"Employee {number}",
        rng.choice(["female", "male"]),
        birth.isoformat(),
        min(hire, date(2025, 12, 31)).isoformat(),
        rng.choice(TITLES),
        category,
        level,
        rng.choice(unit_codes),
        rng.choices(["active", "retired", "left"], [94, 4, 2])[0],
        disciplinary,
        f"{staff_number.lower()}@example.org",
    ]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def write_xlsx(path: Path, units: list[list[str]], people: list[list[str]]) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("units")
    sheet.append(["code", "name", "name_en", "parent_code"])
    for row in units:
        sheet.append(row)
    sheet = workbook.create_sheet("people")
    sheet.append(PERSON_HEADER)
    for row in people:
        # Dates as date cells, as Excel would hold them.
        sheet.append([*row[:4], date.fromisoformat(row[4]), date.fromisoformat(row[5]), *row[6:]])
    workbook.save(path)


def generate(folder: Path, n_people: int) -> dict[str, Path]:
    rng = random.Random(SEED)
    units = make_units(rng)
    homes = [row[0] for row in units[1 + LEVEL_SIZES[1] :]]  # people sit at level 2 and below
    people = [make_person(rng, n, homes) for n in range(1, n_people + 1)]
    changed = [
        [*row[:6], "高级" + row[6], *row[7:9], rng.choice(homes), *row[10:]] if i % 10 == 0 else row
        for i, row in enumerate(people)
    ]
    files = {
        "units.csv": folder / "units.csv",
        "people.csv": folder / "people.csv",
        "people-changed.csv": folder / "people-changed.csv",
        "directory.xlsx": folder / "directory.xlsx",
    }
    write_csv(files["units.csv"], ["code", "name", "name_en", "parent_code"], units)
    write_csv(files["people.csv"], PERSON_HEADER, people)
    write_csv(files["people-changed.csv"], PERSON_HEADER, changed)
    write_xlsx(files["directory.xlsx"], units, people)
    return files


# --- one scenario, in its own process ----------------------------------------------------------


def worker(spec: dict[str, object]) -> dict[str, object]:
    """Run the imports of one scenario against the database in EXEMPLAR_DATABASE_URL; print results."""
    import logging

    import django

    django.setup()
    from django.core.files import File
    from django.core.management import call_command

    from exemplar.core.models import AuditEntry
    from exemplar.people.domain.importer.service import start_directory_import
    from exemplar.people.models import Person, User

    phases: list[dict[str, float]] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if hasattr(record, "phases"):
                phases.append(record.phases)

    service_log = logging.getLogger("exemplar.people.domain.importer.service")
    service_log.setLevel(logging.INFO)
    service_log.propagate = False
    service_log.addHandler(Capture())
    if spec["migrate"]:
        call_command("migrate", verbosity=0)
    actor, _ = User.objects.get_or_create(username="bench")
    results = []
    for path in spec["files"]:
        started, cpu_started = time.perf_counter(), time.process_time()
        with open(path, "rb") as stream:
            record = start_directory_import(file=File(stream, name=Path(path).name), actor=actor)
        record.refresh_from_db()
        results.append(
            {
                "file": Path(path).name,
                "state": record.state,
                "rows": record.total_rows,
                "summary": record.summary,
                "errors": record.errors[:3],
                "wall": round(time.perf_counter() - started, 2),
                "cpu": round(time.process_time() - cpu_started, 2),
                "phases": phases[-1] if phases else {},
            }
        )
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    counts = {"people": Person.objects.count(), "audit_entries": AuditEntry.objects.count()}
    return {"imports": results, "peak_mb": round(peak_kb / 1024), "counts": counts, "load": os.getloadavg()[0]}


def run_scenario(files: list[Path], *, database_url: str, var_dir: Path, migrate: bool) -> dict[str, object]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "exemplar.config.settings",
        "EXEMPLAR_DATABASE_URL": database_url,
        "EXEMPLAR_VAR_DIR": str(var_dir),
        "EXEMPLAR_DEBUG": "0",  # production settings: no query log in memory
        "EXEMPLAR_SECRET_KEY": secrets.token_urlsafe(50),
        "EXEMPLAR_ALLOWED_HOSTS": "localhost",
        "EXEMPLAR_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "EXEMPLAR_LOG_LEVEL": "WARNING",
    }
    spec = json.dumps({"files": [str(f) for f in files], "migrate": migrate})
    done = subprocess.run(
        [sys.executable, __file__, "--worker", spec], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"scenario failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- databases -------------------------------------------------------------------------------


class Databases:
    """Fresh databases: SQLite files in the temp folder, or PostgreSQL databases created and dropped."""

    def __init__(self, folder: Path, postgres: str | None) -> None:
        self.folder = folder
        self.postgres = postgres
        self.created: list[str] = []

    def fresh(self, name: str) -> str:
        if not self.postgres:
            return f"sqlite:///{self.folder / (name + '.sqlite3')}"
        import psycopg

        dbname = f"exemplar_bench_{name}_{os.getpid()}"
        with psycopg.connect(self.postgres, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
            conn.execute(f'CREATE DATABASE "{dbname}"')
        self.created.append(dbname)
        base, _slash, _old = self.postgres.rpartition("/")
        return f"{base}/{dbname}"

    def drop_all(self) -> None:
        if not self.postgres:
            return
        import psycopg

        with psycopg.connect(self.postgres, autocommit=True) as conn:
            for dbname in self.created:
                conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')


def run_all(files: dict[str, Path], folder: Path, postgres: str | None) -> dict[str, object]:
    dbs = Databases(folder, postgres)
    try:
        csv_db = dbs.fresh("csv")
        csv_files = [files["units.csv"], files["people.csv"]]
        xlsx_db = dbs.fresh("xlsx")
        scenarios = {
            "CSV, first import": run_scenario(csv_files, database_url=csv_db, var_dir=folder / "var-csv", migrate=True),
            "CSV, same files again": run_scenario(
                csv_files, database_url=csv_db, var_dir=folder / "var-csv", migrate=False
            ),
            "CSV, 10% of people changed": run_scenario(
                [files["people-changed.csv"]], database_url=csv_db, var_dir=folder / "var-csv", migrate=False
            ),
            "XLSX, first import": run_scenario(
                [files["directory.xlsx"]], database_url=xlsx_db, var_dir=folder / "var-xlsx", migrate=True
            ),
            "XLSX, same file again": run_scenario(
                [files["directory.xlsx"]], database_url=xlsx_db, var_dir=folder / "var-xlsx", migrate=False
            ),
        }
    finally:
        dbs.drop_all()
    return scenarios


# --- reporting ---------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        cpu = model
    except (OSError, StopIteration):
        pass
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def table(scenarios: dict[str, dict[str, object]]) -> list[str]:
    lines = [
        "| Scenario | Rows | Wall (s) | CPU (s) | Read | Snapshot | Check | Write | Rows/s (wall) | Peak memory "
        "| Load avg | People |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for name, result in scenarios.items():
        imports = result["imports"]
        rows = sum(i["rows"] for i in imports)
        wall = sum(i["wall"] for i in imports)
        cpu = sum(i["cpu"] for i in imports)
        phase = {p: sum(i["phases"].get(p, 0) for i in imports) for p in ("read", "snapshot", "validate", "apply")}
        people = next((i["summary"].get("people") for i in imports if "people" in i["summary"]), {})
        outcome = ", ".join(f"{k} {v:,}" for k, v in people.items()) if people else imports[-1]["state"]
        lines.append(
            f"| {name} | {rows:,} | {wall:.1f} | {cpu:.1f} | {phase['read']:.1f} | {phase['snapshot']:.1f} | "
            f"{phase['validate']:.1f} | {phase['apply']:.1f} | {rows / wall:,.0f} | {result['peak_mb']} MB | "
            f"{result['load']:.1f} | {outcome} |"
        )
    return lines


def section(results: dict[str, dict[str, dict[str, object]]], n_people: int) -> str:
    parts = [
        SECTION,
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()} by `bench/bench_import.py` "
        f"(seed {SEED}): {sum(LEVEL_SIZES):,} units in a tree {len(LEVEL_SIZES) - 1} levels below the root, "
        f"and {n_people:,} people. Target: under 60 s for the first import.",
        "",
        "Each scenario runs in a fresh process through `start_directory_import` and the import task (immediate "
        "backend), as an upload does, with production settings (`EXEMPLAR_DEBUG=0`). *Wall* is the whole call, "
        "file storage included; *Read* (parsing the file), *Snapshot* (loading the directory), *Check* (every "
        "row, the merged tree, the plan) and *Write* (one transaction: bulk writes, one audit entry per created or "
        "changed object, commit) come from the importer's own log line (wall seconds). *CPU* is the process's CPU "
        "time for the imports: the figure to trust when the machine is shared, as the *Load avg* column (1-minute "
        "load when the scenario ended) shows it was. CSV imports are two files, units then people. *Peak memory* "
        "is the process's maximum resident set (`resource.getrusage`).",
        "",
    ]
    for database, scenarios in results.items():
        parts += [f"### {database}", "", *table(scenarios), ""]
    parts += [
        "Wall times vary with the load from other work on the shared machine (the *Load avg* column); CPU "
        "seconds vary less. PostgreSQL runs on the same machine, so its server's work shows in *Wall* but not in "
        "*CPU*.",
        "",
        "Progress: reading and checking report rows done to the page; the write phase is one transaction and is "
        "shown as one step (see docs/directory-import.md). On SQLite, other writers wait while it runs.",
        "",
    ]
    return "\n".join(parts)


def write_doc(text: str) -> None:
    header = (
        "# Benchmarks\n\nFigures come from the scripts in `bench/`, run on the project's 2-core development "
        "machine unless a section says otherwise. Each section says how it was measured; rerun the script to "
        "refresh it.\n\n"
    )
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else header
    if SECTION in current:
        start = current.index(SECTION)
        following = current.find("\n## ", start + len(SECTION))
        rest = current[following + 1 :] if following != -1 else ""
        current = current[:start] + text.rstrip("\n") + "\n\n" + rest
    else:
        current = current.rstrip("\n") + "\n\n" + text
    DOC.write_text(current.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=150_000)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("EXEMPLAR_BENCH_DATABASE_URL"),
        help="a PostgreSQL URL whose server may create and drop databases (optional)",
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="print the section instead of updating docs")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return
    with tempfile.TemporaryDirectory(prefix="exemplar-bench-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        files = generate(folder, args.people)
        print(
            f"generated files in {time.perf_counter() - started:.1f} s: "
            + ", ".join(f"{n} {p.stat().st_size / 1e6:.1f} MB" for n, p in files.items())
        )
        results = {}
        if not args.skip_sqlite:
            results["SQLite (WAL, synchronous=NORMAL)"] = run_all(files, folder, None)
        if args.postgres:
            results["PostgreSQL"] = run_all(files, folder, args.postgres)
    text = section(results, args.people)
    print(text)
    print(json.dumps(results, indent=1, default=str)[:3000])
    if not args.no_write:
        write_doc(text)


if __name__ == "__main__":
    main()
