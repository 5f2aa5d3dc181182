"""Spreadsheet exports of nominations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _

from exemplar.nominations.domain.office import VettingSummary, branch_of
from exemplar.nominations.interfaces.screening import duplicate_in_words, findings_summary, vetting_in_words
from exemplar.nominations.models import Nomination
from exemplar.people.models import OrgUnit

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMN_WIDTHS = (18, 24, 18, 30, 24, 22, 18, 60, 50, 40)


def _local(value: datetime | None) -> datetime | None:
    # Excel has no time zones: write the organisation's wall-clock time.
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def dossiers_xlsx(
    nominations: Iterable[Nomination],
    *,
    branches: Mapping[str, OrgUnit],
    vetting: Mapping[int, VettingSummary],
) -> bytes:
    """The dashboard's dossiers list as an XLSX workbook, headers in the current language.

    ``nominations`` come with ``category``, ``unit``, ``person`` and ``team``
    loaded; ``branches`` and ``vetting`` from ``domain.office``. Streams rows
    (openpyxl's write-only mode), so memory stays flat for large lists.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Dossiers")[:31])
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    headers = [
        _("Reference"),
        _("Nominee"),
        _("Category"),
        _("Nominating unit"),
        _("Secondary unit"),
        _("State"),
        _("Submitted at"),
        _("Eligibility findings"),
        _("Possible duplicates"),
        _("Vetting"),
    ]
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for n in nominations:
        branch = branch_of(n.unit.path, branches)
        sheet.append(
            [
                n.reference,
                n.nominee_name,
                n.category.display_name,
                n.unit.display_name,
                branch.display_name if branch else "",
                n.get_state_display(),
                _local(n.submitted_at),
                findings_summary(n),
                "\n".join(duplicate_in_words(d) for d in n.duplicates or []),
                vetting_in_words(vetting.get(n.pk)),
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
