"""The directory import's upload form and its template files (XLSX workbook, CSV per kind)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exemplar.people.domain.importer.columns import (
    CHOICE,
    COLUMNS,
    DATE,
    EMAIL,
    KINDS,
    SHEET_ALIASES,
    TEAM_MEMBERS,
    UNITS,
    VOCABULARIES,
    Column,
)
from exemplar.people.domain.importer.validate import HEADER_REQUIRED

WORKBOOK_NAME = "directory-template.xlsx"
CSV_NAMES = {f"{kind}.csv": kind for kind in KINDS}
TEMPLATE_NAMES = (WORKBOOK_NAME, *CSV_NAMES)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


class DirectoryUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Directory file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = format_lazy(
            gettext_lazy(
                "An XLSX workbook with sheets units, people and teams, or a UTF-8 CSV file of one kind; up to {size}."
            ),
            size=filesizeformat(settings.DIRECTORY_IMPORT_MAX_BYTES),
        )


def _descriptions() -> dict[tuple[str, str], str]:
    """What to write in each column, for the readme sheet (in the current language)."""
    return {
        (UNITS, "code"): _("Unique code of the unit; the key that later imports match on."),
        (UNITS, "name"): _("Name of the unit in Chinese."),
        (UNITS, "name_en"): _("Name of the unit in English."),
        (UNITS, "parent_code"): _("Code of the unit above; empty only for the root (the group itself)."),
        ("people", "staff_number"): _("Unique staff number; the key that later imports match on."),
        ("people", "name"): _("Full name in Chinese."),
        ("people", "name_en"): _("Name in English or pinyin."),
        ("people", "gender"): _("Empty means not stated."),
        ("people", "birth_date"): _("Date of birth."),
        ("people", "hire_date"): _("Date the person joined."),
        ("people", "job_title"): _("Job title as it should appear on documents."),
        ("people", "staff_category"): _("Category of staff, used by the quotas of programmes."),
        ("people", "management_level"): _("Empty means none."),
        ("people", "unit_code"): _(
            "Code of the unit the person belongs to (in this file or already in the directory)."
        ),
        ("people", "status"): _("Empty means active."),
        ("people", "disciplinary_date"): _("Date of the latest disciplinary action; empty when there is none."),
        ("people", "email"): _("Work e-mail address."),
        ("teams", "code"): _("Unique code of the team; the key that later imports match on."),
        ("teams", "name"): _("Name of the team in Chinese."),
        ("teams", "name_en"): _("Name of the team in English."),
        ("teams", "unit_code"): _("Code of the team's home unit."),
        ("teams", "lead_staff_number"): _("Staff number of the team lead; may be empty."),
        (TEAM_MEMBERS, "team_code"): _("Code of the team."),
        (TEAM_MEMBERS, "staff_number"): _("Staff number of the member."),
        (TEAM_MEMBERS, "role"): _("Role in the team, free text."),
    }


def _format_of(col: Column) -> str:
    if col.type == DATE:
        return _("Date: YYYY-MM-DD, YYYY/MM/DD or a date cell")
    if col.type == CHOICE:
        return "; ".join(f"{value} ({' / '.join(aliases)})" for value, aliases in VOCABULARIES[col.name].items())
    if col.type == EMAIL:
        return _("E-mail address")
    return _("Text, at most %(n)d characters") % {"n": col.max_length}


def _example(col: Column) -> object:
    if col.type == DATE and col.example:
        return date.fromisoformat(col.example)
    return col.example


def _readme_rows() -> list[list[str]]:
    descriptions = _descriptions()
    sheet_names = {kind: alias for alias, kind in SHEET_ALIASES.items()}
    rows = [[_("Sheet"), _("Column"), _("Chinese header also accepted"), _("Required"), _("Format"), _("Meaning")]]
    for kind in KINDS:
        for col in COLUMNS[kind]:
            required = col.required or col.name in HEADER_REQUIRED[kind]
            rows.append(
                [
                    f"{kind} ({sheet_names[kind]})",
                    col.name,
                    " / ".join(col.aliases),
                    _("yes") if required else _("no"),
                    _format_of(col),
                    descriptions[(kind, col.name)],
                ]
            )
    return rows


def build_template_workbook() -> bytes:
    """The XLSX template: one sheet per kind with its header and an example row, and a readme sheet."""
    import openpyxl  # slow to import; only this download needs it
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    readme = workbook.active
    readme.title = "readme"
    for row in _readme_rows():
        readme.append(row)
    for cell in readme[1]:
        cell.font = Font(bold=True)
    for kind in KINDS:
        sheet = workbook.create_sheet(kind)
        sheet.append([col.name for col in COLUMNS[kind]])
        sheet.append([_example(col) for col in COLUMNS[kind]])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for cell in sheet[2]:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def build_template_csv(kind: str) -> bytes:
    """A CSV template for one kind: header and an example row, UTF-8 with the BOM Excel looks for."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([col.name for col in COLUMNS[kind]])
    writer.writerow([col.example for col in COLUMNS[kind]])
    return out.getvalue().encode("utf-8-sig")


def template_file(name: str) -> tuple[bytes, str] | None:
    """The bytes and content type of a template by its download name, or None for an unknown name."""
    if name == WORKBOOK_NAME:
        return build_template_workbook(), XLSX_TYPE
    kind = CSV_NAMES.get(name)
    if kind is None:
        return None
    return build_template_csv(kind), CSV_TYPE
