"""Turning one cell into a value, or saying why it cannot be (pure: no Django).

Cells come from CSV (always strings) or from openpyxl (str, int, float,
datetime, bool or None). Each parser returns the value, or raises
``CellError`` with an error code and its parameters.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from exemplar.people.domain.importer.columns import VOCAB_LOOKUP, VOCABULARIES, default_value, normalise_label

MIN_YEAR = 1900
MAX_YEAR = 2100
# Deliberately simple: one @, no spaces, a dot in the domain. Mail delivery is the real test.
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class CellError(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = {k: str(v) for k, v in params.items()}


def as_text(value: object) -> str:
    """The cell as trimmed text; whole numbers lose Excel's ".0"."""
    if type(value) is str:
        return value.strip()
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime):
        text = value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    return text.strip()


def parse_text(value: object, *, max_length: int) -> str:
    text = as_text(value)
    if max_length and len(text) > max_length:
        raise CellError("too_long", max=max_length, length=len(text))
    return text


def parse_date(value: object) -> date | None:
    """ISO dates (2020-01-31), slashed dates (2020/01/31) and Excel date cells; empty is None."""
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    else:
        text = as_text(value)
        if not text:
            return None
        found = _parse_date_text(text)
    if not MIN_YEAR <= found.year <= MAX_YEAR:
        raise CellError("bad_date", value=as_text(value))
    return found


def _parse_date_text(text: str) -> date:
    # Excel's CSV export may append a midnight time to a date.
    head = text.split(" ", 1)[0] if text.endswith(" 00:00:00") else text
    parts = head.replace("/", "-").split("-")
    if len(parts) == 3 and len(parts[0]) == 4 and all(p.isdigit() and p.isascii() for p in parts):
        try:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            pass
    raise CellError("bad_date", value=text)


def parse_choice(value: object, *, column: str, required: bool) -> str:
    """One of the column's allowed values, given as the value itself or an alias."""
    text = as_text(value)
    table = VOCAB_LOOKUP[column]
    if not text:
        if required:
            raise CellError("required")
        return default_value(column)
    found = table.get(normalise_label(text))
    if found is None:
        code = "unknown_category" if column == "staff_category" else "unknown_value"
        raise CellError(code, value=text, allowed=", ".join(VOCABULARIES[column]))
    return found


def parse_email(value: object, *, max_length: int) -> str:
    text = parse_text(value, max_length=max_length)
    if text and not EMAIL_RE.match(text):
        raise CellError("bad_email", value=text)
    return text
