"""Directory files for import tests, built in memory: CSV text and XLSX workbooks made with openpyxl."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.core.files.uploadedfile import SimpleUploadedFile

UNIT_HEADER = ["code", "name", "name_en", "parent_code"]
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
TEAM_HEADER = ["code", "name", "name_en", "unit_code", "lead_staff_number"]
MEMBER_HEADER = ["team_code", "staff_number", "role"]


def csv_bytes(header: Sequence[object], *rows: Sequence[object], bom: bool = True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(sheets: dict[str, Sequence[Sequence[object]]]) -> bytes:
    """A workbook with one sheet per entry, rows written as given (the first row is the header)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(content: bytes, name: str = "directory.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def person_row(staff_number: str, unit_code: str, /, **overrides: object) -> list[object]:
    """A full people row in PERSON_HEADER order, with plausible values unless overridden."""
    values: dict[str, object] = {
        "staff_number": staff_number,
        "name": f"员工{staff_number}",
        "name_en": f"Employee {staff_number}",
        "gender": "female",
        "birth_date": "1985-06-01",
        "hire_date": "2008-09-01",
        "job_title": "设计师",
        "staff_category": "technical",
        "management_level": "none",
        "unit_code": unit_code,
        "status": "active",
        "disciplinary_date": "",
        "email": f"{staff_number.lower()}@example.org",
    }
    values.update(overrides)
    return [values[column] for column in PERSON_HEADER]
