"""Spreadsheet exports of nominations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _

from exemplar.nominations.domain.office import VettingSummary, branch_of
from exemplar.nominations.enums import NominationState
from exemplar.nominations.interfaces.screening import duplicate_in_words, findings_summary, vetting_in_words
from exemplar.nominations.models import Nomination
from exemplar.people.models import OrgUnit
from exemplar.programmes.models import Category

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
    states = {value: str(label) for value, label in NominationState.choices}
    names: dict[tuple[str, int], str] = {}  # display names of categories and units, computed once each

    def name_of(kind: str, obj: Category | OrgUnit | None) -> str:
        if obj is None:
            return ""
        key = (kind, obj.pk)
        if key not in names:
            names[key] = obj.display_name
        return names[key]

    for n in nominations:
        sheet.append(
            [
                n.reference,
                n.nominee_name,
                name_of("category", n.category),
                name_of("unit", n.unit),
                name_of("unit", branch_of(n.unit.path, branches)),
                states.get(n.state, n.state),
                _local(n.submitted_at),
                findings_summary(n) if n.eligibility else "",
                "\n".join(duplicate_in_words(d) for d in n.duplicates) if n.duplicates else "",
                vetting_in_words(vetting.get(n.pk)),
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
