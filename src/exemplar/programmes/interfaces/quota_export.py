"""The quota table as an XLSX workbook."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from django.utils.translation import gettext as _

from exemplar.programmes.domain.quotas import QuotaRow, quota_totals
from exemplar.programmes.models import Programme

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMN_WIDTHS = {"A": 16, "B": 36, "C": 14, "D": 12, "E": 12, "F": 12, "G": 12}
# A cell starting with one of these would be read as a formula by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@")


def _text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def quota_filename(programme: Programme) -> str:
    return f"quotas-{programme.year}-{programme.pk}.xlsx"


def quota_workbook(programme: Programme, rows: Sequence[QuotaRow]) -> bytes:
    """Header row; one row per unit (code, name, headcount, allocated, used, remaining, set by hand); totals.

    Headers and names in the current language. Numbers are written as numbers.
    """
    import openpyxl  # slow to import; only this download needs it
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Quotas")[:31]
    sheet.append(
        [
            _("Unit code"),
            _("Unit"),
            _("Active people"),
            _("Allocated"),
            _("Used"),
            _("Remaining"),
            _("Set by hand"),
        ]
    )
    for row in rows:
        sheet.append(
            [
                _text(row.unit.code),
                _text(row.unit.display_name),
                row.headcount,
                row.allocated,
                row.used,
                row.remaining,
                _("Yes") if row.is_manual else "",
            ]
        )
    totals = quota_totals(rows)
    sheet.append(["", _("Total"), totals.headcount, totals.allocated, totals.used, totals.remaining, ""])
    bold = Font(bold=True)
    for cell in (*sheet[1], *sheet[sheet.max_row]):
        cell.font = bold
    for column, width in COLUMN_WIDTHS.items():
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    workbook.properties.title = f"{programme.display_name} — {_('Nomination quotas')}"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
