"""Error codes of the import, as sentences in the reader's language.

Imports store codes and parameters, not sentences, so a rejected import
reads in Chinese to one person and in English to another.
"""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # cells
    "required": _("This cell must not be empty."),
    "too_long": _("Too long: %(length)s characters where at most %(max)s fit."),
    "bad_date": _("“%(value)s” is not a date: write it as YYYY-MM-DD (for example 2024-03-31) or use a date cell."),
    "unknown_category": _("“%(value)s” is not a staff category. Allowed: %(allowed)s."),
    "unknown_value": _("“%(value)s” is not an allowed value here. Allowed: %(allowed)s."),
    "bad_email": _("“%(value)s” is not an e-mail address."),
    # rows
    "duplicate_staff_number": _("Staff number %(value)s is given twice: first on row %(first_row)s."),
    "duplicate_unit_code": _("Unit code %(value)s is given twice: first on row %(first_row)s."),
    "duplicate_team_code": _("Team code %(value)s is given twice: first on row %(first_row)s."),
    "duplicate_member": _("Membership %(value)s is given twice: first on row %(first_row)s."),
    "missing_parent": _("Parent unit %(parent)s is neither in this file nor in the directory."),
    "unknown_unit": _("Unit %(code)s is neither in this file nor in the directory."),
    "unknown_person": _("Staff number %(code)s is neither in this file nor in the directory."),
    "unknown_team": _("Team %(code)s is neither in this file nor in the directory."),
    "cycle": _("The unit would end up below itself: %(chain)s."),
    "second_root": _("Only the root unit (%(root)s) has no parent unit; %(code)s needs one."),
    "root_moved": _("%(code)s is the root unit and cannot be placed under another unit."),
    "too_deep": _("Below %(code)s the tree would have more than %(max)s levels."),
    # header
    "unknown_column": _("Unknown column “%(column)s”. The template's readme sheet lists the columns."),
    "duplicate_column": _("Column %(column)s appears twice."),
    "missing_column": _("Required column %(column)s is missing, so no row of this sheet was read."),
    # the file as a whole
    "too_large": _("The file is %(size)s; files up to %(max)s can be imported."),
    "too_large_unpacked": _("The workbook unpacks to far more than its size; files up to %(max)s can be imported."),
    "empty_file": _("The file is empty."),
    "legacy_xls": _("This is an old-style .xls workbook. Save it as .xlsx (Excel Workbook) and upload it again."),
    "bad_xlsx": _("The file looks like an XLSX workbook but cannot be read. Open it in Excel and save it again."),
    "not_xlsx": _("The file is a zip archive but not an XLSX workbook."),
    "not_text": _("The file is neither an XLSX workbook nor a CSV text file."),
    "not_utf8": _(
        "The file is not UTF-8 text (problem on line %(line)s). In Excel choose “CSV UTF-8 (comma delimited)” when saving."
    ),
    "bad_csv": _("The CSV file cannot be read on line %(line)s: %(detail)s."),
    "unrecognised_header": _(
        "The first row is not a header the import knows. Download a template to see the columns for units, people and teams."
    ),
    "no_sheets": _("The workbook has no sheet named units, people, teams or team_members, nor one headed like them."),
    "duplicate_sheet": _("Sheets %(first)s and %(second)s both hold %(kind)s; keep one."),
    "conflict": _("The directory changed while the file was being checked. Nothing was imported; upload it again."),
    "failed": _("The import stopped on an unexpected error. Nothing was imported; the error is in the server log."),
}
SIZE_PARAMS = {"size", "max"}
SIZE_CODES = {"too_large", "too_large_unpacked"}


def describe(code: str, params: dict[str, Any] | None = None) -> str:
    """The translated sentence for an error code, its parameters filled in."""
    template = MESSAGES.get(code)
    if template is None:
        return code
    values = dict(params or {})
    if code in SIZE_CODES:
        values = {k: filesizeformat(int(v)) if k in SIZE_PARAMS else v for k, v in values.items()}
    try:
        return str(template) % values
    except (KeyError, ValueError, TypeError):
        return str(template)


KIND_LABELS = {
    "units": _("Units"),
    "people": _("People"),
    "teams": _("Teams"),
    "team_members": _("Team members"),
}
