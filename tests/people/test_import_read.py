"""Reading directory files: the format comes from the content, rows keep the spreadsheet's numbers."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time

import pytest

from exemplar.people.domain.importer.read import FileRefusedError, detect_format, read_tables
from tests.factories.directory_files import UNIT_HEADER, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.unit

MAX = 1024 * 1024


def read(content: bytes, max_bytes: int = MAX):
    return read_tables(io.BytesIO(content), size=len(content), max_bytes=max_bytes)


def problem(content: bytes, max_bytes: int = MAX) -> tuple[str, dict[str, str]]:
    with pytest.raises(FileRefusedError) as caught:
        read(content, max_bytes)
    return caught.value.code, caught.value.params


def test_csv_with_excel_bom_and_chinese_header():
    tables = read(csv_bytes(["单位编码", "单位名称", "上级单位编码"], ["C", "丙", "ROOT"], [], ["D", "丁", "C"]))
    assert [(t.kind, t.sheet, t.header) for t in tables] == [
        ("units", "units", ("单位编码", "单位名称", "上级单位编码"))
    ]
    # the blank line keeps its number: D is on row 4
    assert tables[0].rows == [(2, ("C", "丙", "ROOT")), (4, ("D", "丁", "C"))]


def test_csv_kind_is_told_by_the_header():
    kinds = [
        read(csv_bytes(["staff_number", "name", "staff_category", "unit_code"]))[0].kind,
        read(csv_bytes(["code", "name", "unit_code"]))[0].kind,
        read(csv_bytes(["team_code", "staff_number"]))[0].kind,
        read(csv_bytes(UNIT_HEADER))[0].kind,
    ]
    assert kinds == ["people", "teams", "team_members", "units"]


def test_semicolon_and_tab_separated_files_are_read():
    for sep in (";", "\t"):
        content = sep.join(UNIT_HEADER).encode() + b"\r\n" + sep.join(["C", "丙", "", "ROOT"]).encode()
        assert read(content)[0].rows == [(2, ("C", "丙", "", "ROOT"))]


def test_csv_that_is_not_utf8_names_the_line():
    content = "code,name,parent_code\r\nC,丙,ROOT\r\nD,丁,C\r\n".encode("gb18030")
    assert problem(content) == ("not_utf8", {"line": "2"})


def test_unknown_csv_header_is_refused():
    assert problem(csv_bytes(["foo", "bar"], ["1", "2"])) == ("unrecognised_header", {})


def test_xlsx_sheets_by_name_with_dates_and_row_numbers():
    content = xlsx_bytes(
        {
            "readme": [["anything"], ["goes here"]],
            "units": [UNIT_HEADER, ["C", "丙", None, "ROOT"], [None, None, None, None], ["D", "丁", "Ding", "C"]],
            "人员": [["工号", "姓名", "出生日期"], ["E1", "王", datetime.combine(date(1990, 1, 2), time())]],
        }
    )
    tables = read(content)
    assert [(t.kind, t.sheet) for t in tables] == [("units", "units"), ("people", "人员")]
    assert tables[0].rows == [(2, ("C", "丙", "", "ROOT")), (4, ("D", "丁", "Ding", "C"))]
    assert tables[1].rows == [(2, ("E1", "王", date(1990, 1, 2)))]  # a date cell reads as a date


def test_xlsx_numbers_booleans_and_formulas_come_through_as_values():
    content = xlsx_bytes({"people": [["staff_number", "name"], [1001, "王"], [1.5, True]]})
    assert read(content)[0].rows == [(2, (1001.0, "王")), (3, (1.5, True))]


def test_xlsx_sheet_with_another_name_is_told_by_its_header():
    tables = read(xlsx_bytes({"Sheet1": [UNIT_HEADER, ["C", "丙", "", "ROOT"]]}))
    assert [(t.kind, t.sheet) for t in tables] == [("units", "Sheet1")]


def test_xlsx_without_known_sheets_or_with_two_of_a_kind():
    assert problem(xlsx_bytes({"notes": [["hello"]]})) == ("no_sheets", {})
    two = xlsx_bytes({"units": [UNIT_HEADER], "单位": [UNIT_HEADER]})
    assert problem(two) == ("duplicate_sheet", {"kind": "units", "first": "units", "second": "单位"})


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not_text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "legacy_xls"),
        (_zip({"word/document.xml": b"<w/>"}), "not_xlsx"),
        (_zip({"xl/workbook.xml": b"not xml at all"}), "bad_xlsx"),
        (b"PK\x03\x04 truncated", "bad_xlsx"),
    ],
)
def test_files_that_are_neither_xlsx_nor_csv(content, code):
    assert problem(content)[0] == code


def test_size_limits():
    assert problem(csv_bytes(UNIT_HEADER, ["C", "丙", "", "ROOT"]), max_bytes=10)[0] == "too_large"
    bomb = _zip({"xl/workbook.xml": b"<x/>", "xl/big.xml": b" " * 2_000_000})
    assert problem(bomb, max_bytes=100_000) == ("too_large_unpacked", {"max": "100000"})


def test_detect_format_leaves_the_stream_at_the_start():
    stream = io.BytesIO(csv_bytes(UNIT_HEADER))
    assert (detect_format(stream, size=len(stream.getvalue()), max_bytes=MAX), stream.tell()) == ("csv", 0)
