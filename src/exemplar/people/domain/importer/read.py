"""Reading an uploaded directory file into plain rows (pure: no Django).

The format is told from the content, never from the file name: an XLSX
workbook is a zip holding ``xl/workbook.xml``; anything else must be UTF-8
text, read as CSV. Problems with the file as a whole raise ``FileRefusedError``
(an error code and its parameters); problems in rows are the validator's.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from exemplar.people.domain.importer.columns import guess_kind, sheet_kind

XLSX = "xlsx"
CSV = "csv"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)
# A workbook may unpack to this many times the upload limit, no more (zip bombs).
UNPACKED_RATIO = 10
SNIFF_BYTES = 64 * 1024

Row = tuple[int, tuple[object, ...]]
Progress = Callable[[int], None]


class FileRefusedError(Exception):
    """The file as a whole cannot be read; nothing in it is imported."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = {k: str(v) for k, v in params.items()}


@dataclass(frozen=True)
class Table:
    """One sheet of the file: its kind, the name errors quote, the header and the data rows.

    Rows carry the spreadsheet's own row number (the header is row 1);
    blank rows are left out but keep their numbers counted.
    """

    kind: str
    sheet: str
    header: tuple[object, ...]
    rows: list[Row]


def detect_format(stream: BinaryIO, *, size: int, max_bytes: int) -> str:
    """``"xlsx"`` or ``"csv"`` for an acceptable upload; ``FileRefusedError`` otherwise."""
    if size > max_bytes:
        raise FileRefusedError("too_large", size=size, max=max_bytes)
    if size == 0:
        raise FileRefusedError("empty_file")
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if head.startswith(OLE_MAGIC):
        raise FileRefusedError("legacy_xls")
    if head.startswith(ZIP_MAGIC):
        _check_workbook_zip(stream, max_bytes=max_bytes)
        stream.seek(0)
        return XLSX
    if b"\x00" in head:
        raise FileRefusedError("not_text")
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError as exc:
        raise FileRefusedError("not_utf8", line=head[: exc.start].count(b"\n") + 1) from exc
    return CSV


def _check_workbook_zip(stream: BinaryIO, *, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise FileRefusedError("bad_xlsx") from exc
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        raise FileRefusedError("not_xlsx")
    if sum(info.file_size for info in infos) > UNPACKED_RATIO * max_bytes:
        raise FileRefusedError("too_large_unpacked", max=max_bytes)


def read_tables(stream: BinaryIO, *, size: int, max_bytes: int, progress: Progress | None = None) -> list[Table]:
    """Every sheet the import knows, read into memory; ``progress`` gets the rows read so far."""
    fmt = detect_format(stream, size=size, max_bytes=max_bytes)
    if fmt == XLSX:
        return _read_xlsx(stream, progress)
    return [_read_csv(stream.read(), progress)]


def _is_blank(cells: tuple[object, ...]) -> bool:
    for cell in cells:
        if cell is None:
            continue
        if type(cell) is not str or (cell and not cell.isspace()):
            return False
    return True


def _trim_header(cells: tuple[object, ...]) -> tuple[object, ...]:
    end = len(cells)
    while end and (cells[end - 1] is None or str(cells[end - 1]).strip() == ""):
        end -= 1
    return cells[:end]


def _collect(
    rows_iter: Iterable[Iterable[object]], progress: Progress | None, done: int
) -> tuple[tuple[object, ...], list[Row], int]:
    """Header and data rows of one sheet; rows are numbered from 1 (the header)."""
    header: tuple[object, ...] = ()
    rows: list[Row] = []
    for number, cells in enumerate(rows_iter, start=1):
        if number == 1:
            header = _trim_header(tuple(cells))
            continue
        row = tuple(cells)
        if not _is_blank(row):
            rows.append((number, row))
        done += 1
        if progress is not None and done % 5000 == 0:
            progress(done)
    return header, rows, done


def _read_xlsx(stream: BinaryIO, progress: Progress | None) -> list[Table]:
    # python-calamine (Rust) reads a 150,000-row workbook in ~2 s of CPU where
    # openpyxl's read-only mode takes ~38 s (docs/decisions/0005-xlsx-reading.md).
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(stream)
    except (CalamineError, ValueError, OSError) as exc:
        raise FileRefusedError("bad_xlsx") from exc
    tables: list[Table] = []
    seen: dict[str, str] = {}
    done = 0
    for title in workbook.sheet_names:
        try:
            # Not skipping the empty area keeps rows and columns where the spreadsheet has them.
            cells = workbook.get_sheet_by_name(title).to_python(skip_empty_area=False)
        except (CalamineError, ValueError) as exc:
            raise FileRefusedError("bad_xlsx") from exc
        header, rows, done = _collect(cells, progress, done)
        kind = sheet_kind(title) or guess_kind(list(header))
        if kind is None:
            continue  # a readme or notes sheet
        if kind in seen:
            raise FileRefusedError("duplicate_sheet", kind=kind, first=seen[kind], second=title)
        seen[kind] = title
        tables.append(Table(kind=kind, sheet=title, header=header, rows=rows))
    if not tables:
        raise FileRefusedError("no_sheets")
    return tables


def _read_csv(data: bytes, progress: Progress | None) -> Table:
    if b"\x00" in data:
        raise FileRefusedError("not_text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefusedError("not_utf8", line=data[: exc.start].count(b"\n") + 1) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        delimiter = "\t" if "\t" in first_line else ";" if ";" in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header, rows, _done = _collect(reader, progress, 0)
    except csv.Error as exc:
        raise FileRefusedError("bad_csv", line=reader.line_num, detail=str(exc)) from exc
    kind = guess_kind(list(header))
    if kind is None:
        raise FileRefusedError("unrecognised_header")
    return Table(kind=kind, sheet=kind, header=header, rows=rows)
