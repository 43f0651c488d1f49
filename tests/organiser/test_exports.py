"""Organiser exports: CSV and .xlsx read back with the csv module, openpyxl and calamine, not compared as raw text."""

import csv
import datetime as dt
import gc
import glob
import io
import os
import tempfile
import zipfile
from collections.abc import Iterator

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from eventapp.platform.exports import (
    FORMULA_PREFIXES,
    Column,
    csv_chunks,
    neutralise,
    safe_filename,
    xlsx_bytes,
)

COLUMNS = [Column("Name", 30), Column("Note"), Column("Count", 8), Column("Checked in at", 20)]
NAMES = ["Søren Ærø", "Sylvia Huis in 't Veld", "Ünal Yılmaz"]
INJECTIONS = ["=1+1", "+31 6 1234", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("https://evil.example","click")']
AT = dt.datetime(2027, 1, 7, 13, 42)
DAY = dt.date(2027, 1, 7)


def read_csv(columns, rows) -> list[list[str]]:
    """The CSV export parsed back into rows of strings, after checking and dropping the BOM."""
    text = "".join(csv_chunks(columns, rows))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def read_xlsx(columns, rows, title="Attendance"):
    """The .xlsx export loaded back with openpyxl; returns the workbook's only sheet and the workbook."""
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(title, columns, rows)))
    assert len(workbook.worksheets) == 1
    return workbook.worksheets[0], workbook


def values(ws) -> list[list]:
    """All cell values of a sheet, row by row."""
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_neutralise_prefixes_only_formula_like_strings():
    for prefix in FORMULA_PREFIXES:
        assert neutralise(prefix + "x") == "'" + prefix + "x"
    assert neutralise("Søren") == "Søren"
    assert neutralise("") == ""
    for value in (-2, -2.5, 0, True, False, None, DAY, AT):
        assert neutralise(value) == value


def test_csv_header_names_and_plain_values():
    rows = [[name, "", index, AT] for index, name in enumerate(NAMES)]
    parsed = read_csv(COLUMNS, rows)
    assert parsed[0] == ["Name", "Note", "Count", "Checked in at"]
    assert [row[0] for row in parsed[1:]] == NAMES
    assert parsed[1] == ["Søren Ærø", "", "0", "2027-01-07 13:42"]


def test_csv_line_terminator_and_delimiter():
    text = "".join(csv_chunks([Column("a"), Column("b")], [["x, y", 1]]))
    assert text == '\ufeffa,b\r\n"x, y",1\r\n'


def test_csv_neutralises_every_formula_prefix_but_not_numbers():
    parsed = read_csv([Column("Value")], [[value] for value in INJECTIONS] + [[-2], [-2.5]])
    body = [row[0] for row in parsed[1:]]
    assert body[: len(INJECTIONS)] == ["'" + value for value in INJECTIONS]
    assert body[len(INJECTIONS) :] == ["-2", "-2.5"]


def test_csv_dates_booleans_and_none():
    parsed = read_csv([Column("a")] * 5, [[AT, DAY, True, False, None]])
    assert parsed[1] == ["2027-01-07 13:42", "2027-01-07", "yes", "no", ""]


def test_csv_chunks_streams():
    rows = ([f"Person {index}", index] for index in range(2000))
    chunks = csv_chunks([Column("Name"), Column("Index")], rows)
    assert isinstance(chunks, Iterator)
    pieces = list(chunks)
    assert len(pieces) > 1
    assert pieces[0].startswith("\ufeff")
    assert not any(piece.startswith("\ufeff") for piece in pieces[1:])
    parsed = list(csv.reader(io.StringIO("".join(pieces)[1:], newline="")))
    assert len(parsed) == 2001
    assert parsed[-1] == ["Person 1999", "1999"]


def test_csv_header_only_when_no_rows():
    assert read_csv(COLUMNS, []) == [["Name", "Note", "Count", "Checked in at"]]


def test_xlsx_header_names_and_layout():
    rows = [[name, None, index, AT] for index, name in enumerate(NAMES)]
    ws, workbook = read_xlsx(COLUMNS, rows)
    try:
        assert values(ws)[0] == ["Name", "Note", "Count", "Checked in at"]
        assert [row[0] for row in values(ws)[1:]] == NAMES
        assert all(cell.font.bold for cell in ws[1])
        assert not ws["A2"].font.bold
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == "A1:D4"
        widths = [ws.column_dimensions[letter].width for letter in "ABCD"]
        assert widths == [30, 18, 8, 20]
    finally:
        workbook.close()


def test_xlsx_keeps_formula_like_text_as_text_without_a_quote():
    data = xlsx_bytes("Values", [Column("Value")], [[value] for value in INJECTIONS] + [[-2], [-2.5]])
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    try:
        cells = [row[0] for row in workbook.active.iter_rows(min_row=2)]
        for cell, original in zip(cells, INJECTIONS, strict=False):
            assert cell.data_type == "s"
            # XML turns a bare carriage return into a line feed when the file is read.
            assert cell.value == original.replace("\r", "\n")
        assert [cell.value for cell in cells[len(INJECTIONS) :]] == [-2, -2.5]
        assert all(cell.data_type == "n" for cell in cells[len(INJECTIONS) :])
    finally:
        workbook.close()
    # Another reader than the writer sees the same text, and the sheet holds no formula to run.
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert [row[0] for row in rows[1 : len(INJECTIONS) + 1]] == [value.replace("\r", "\n") for value in INJECTIONS]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert b"<f>" not in package.read("xl/worksheets/sheet1.xml")


def test_csv_with_semicolons_and_dutch_words():
    text = "".join(
        csv_chunks([Column("Naam"), Column("Gekomen")], [["Ann; Bob", True], ["=1+1", False]], ";", ("ja", "nee"))
    )
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";")) == [
        ["Naam", "Gekomen"],
        ["Ann; Bob", "ja"],
        ["'=1+1", "nee"],
    ]


def test_xlsx_dates_booleans_and_none():
    ws, workbook = read_xlsx([Column("a")] * 5, [[AT, DAY, True, False, None]])
    try:
        at, day, yes, no, empty = ws[2]
        assert at.value == AT
        assert at.number_format == "yyyy-mm-dd hh:mm"
        assert at.is_date
        # Excel has no date-only type: a date comes back as midnight, shown as a date by its format.
        assert day.value == dt.datetime(2027, 1, 7)
        assert day.number_format == "yyyy-mm-dd"
        assert day.is_date
        assert (yes.value, no.value) == ("yes", "no")
        assert empty.value is None
    finally:
        workbook.close()


def openpyxl_temp_files() -> set[str]:
    """The temporary files openpyxl's write-only mode streams rows into."""
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "openpyxl.*")))


def test_xlsx_refuses_aware_datetimes_and_cleans_up():
    before = openpyxl_temp_files()
    aware = dt.datetime(2027, 1, 7, 13, 42, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="timezone-aware"):
        xlsx_bytes("Attendance", [Column("At")], [[AT], [aware]])
    gc.collect()
    assert openpyxl_temp_files() <= before


def test_xlsx_failing_rows_leave_no_temporary_file():
    def rows():
        yield ["Søren"]
        raise RuntimeError("database went away")

    before = openpyxl_temp_files()
    with pytest.raises(RuntimeError, match="went away"):
        xlsx_bytes("Attendance", [Column("Name")], rows())
    gc.collect()
    assert openpyxl_temp_files() <= before


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Attendance", "Attendance"),
        ("Q1/Q2 [draft]: who? *all*\\", "Q1Q2 draft who all"),
        ("Jeugd en Veiligheid Oost-Nederland attendance", "Jeugd en Veiligheid Oost-Nederl"),
        ("[]:*?/\\", "Sheet"),
    ],
)
def test_xlsx_sheet_title_is_cleaned(title, expected):
    ws, workbook = read_xlsx([Column("a")], [["x"]], title=title)
    try:
        assert ws.title == expected
        assert len(ws.title) <= 31
    finally:
        workbook.close()


def test_xlsx_header_only_when_no_rows():
    ws, workbook = read_xlsx(COLUMNS, [])
    try:
        assert values(ws) == [["Name", "Note", "Count", "Checked in at"]]
        assert ws.auto_filter.ref == "A1:D1"
    finally:
        workbook.close()


def test_ten_thousand_rows_in_both_formats():
    columns = [Column(f"Column {index}") for index in range(10)]

    def rows():
        for number in range(10_000):
            yield [f"Person {number}", number, AT, DAY, True, None, "=x", -number, "Søren", number / 3]

    parsed = read_csv(columns, rows())
    assert len(parsed) == 10_001
    assert parsed[-1][:2] == ["Person 9999", "9999"]

    ws, workbook = read_xlsx(columns, rows())
    try:
        assert ws.max_row == 10_001
        assert ws.max_column == 10
        assert ws.auto_filter.ref == "A1:J10001"
        assert ws["A10001"].value == "Person 9999"
        assert ws["G10001"].value == "=x"
    finally:
        workbook.close()


@pytest.mark.parametrize(
    ("parts", "extension", "expected"),
    [
        (
            ("jeugd-en-veiligheid-6", "2027-01-07", "attendance"),
            "xlsx",
            "jeugd-en-veiligheid-6-2027-01-07-attendance.xlsx",
        ),
        (("Søren's day", "check-in"), "csv", "S-ren-s-day-check-in.csv"),
        (("--a  b--", "", "c/../d"), "csv", "a-b-c-..-d.csv"),
        (("report_v1.2",), "csv", "report_v1.2.csv"),
    ],
)
def test_safe_filename(parts, extension, expected):
    assert safe_filename(*parts, extension=extension) == expected


def test_control_characters_are_dropped_from_xlsx_cells():
    data = xlsx_bytes("People", [Column("Name")], [["Ann\x01 de\x1b Vries"]])
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    try:
        assert workbook.active["A2"].value == "Ann de Vries"
    finally:
        workbook.close()
