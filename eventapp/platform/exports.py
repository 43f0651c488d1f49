"""Spreadsheet exports: pure builders (column titles and rows in, CSV text or .xlsx bytes out) and their download.

The download speaks the organiser's language: column titles are (lazy) translations, booleans
become the words for yes and no, and the CSV is cut with the separator their Excel expects.
"""

import contextlib
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Response, abort, request, stream_with_context
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from eventapp.platform.i18n import current_language

# A text cell starting with one of these is run as a formula by spreadsheet programs (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
# Enough rows per CSV chunk to keep the number of writes low, few enough to keep memory bounded.
CSV_ROWS_PER_CHUNK = 500
SHEET_TITLE_MAX = 31
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
YES_NO = ("yes", "no")
# ?separator= on a CSV download. Dutch Excel writes decimals with a comma, so it splits a double-clicked CSV
# on ";" only; other tools (and English Excel) expect ",".
SEPARATORS = {"semicolon": ";", "comma": ","}
# Where a spreadsheet could start a cell, whichever separator it splits on and whether or not it honours quotes:
# the start of the text, or after a separator or line break in it, with spaces or quotes between.
_CELL_START = re.compile(r'(^|[,;\r\n])([ "]*)(?=[=+\-@\t\r])')
_NEEDS_QUOTES = re.compile(r'[,;"\r\n]')
_FORMULA_OR_SPACE = (*FORMULA_PREFIXES, " ")


@dataclass(frozen=True)
class Column:
    """One column of an export: its header title (a lazy translation is fine) and its width in Excel character units."""

    title: str
    width: int = 18


def neutralise(value: Any) -> Any:
    """Put a quote before a formula character wherever a spreadsheet could start a cell; other values pass unchanged.

    That is the start of the text, and after a separator or line break inside it: a spreadsheet that cuts the line
    at the other separator (or ignores the quotes) starts a cell there.
    """
    if isinstance(value, str):
        return _CELL_START.sub(r"\1\2'", value)
    return value


def _csv_cell(value: Any, yes_no: tuple[str, str]) -> str:
    """One cell as CSV text: neutralised strings, ISO dates, the words of `yes_no` for booleans, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no[0] if value else yes_no[1]
    # datetime is a subclass of date, so it must be checked first.
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _csv_field(value: Any, yes_no: tuple[str, str]) -> str:
    """One cell as it stands in the file: quoted when it holds either separator, a quote, a line break, or was
    neutralised, so that it stays one cell whichever separator the reader splits on."""
    text = _csv_cell(value, yes_no)
    if not isinstance(value, str):
        return text  # a number such as -2 is no formula, and dates and words hold no separator
    if not text.startswith(_FORMULA_OR_SPACE) and not _NEEDS_QUOTES.search(text):
        return text  # most cells: nothing to neutralise, nothing to quote
    safe = neutralise(text)
    if safe != text or _NEEDS_QUOTES.search(safe):
        return '"' + safe.replace('"', '""') + '"'
    return safe


def csv_line(values: Iterable, delimiter: str = ",", yes_no: tuple[str, str] = YES_NO) -> str:
    """One line of a CSV file, ended by CRLF (RFC 4180)."""
    return delimiter.join(_csv_field(value, yes_no) for value in values) + "\r\n"


def csv_chunks(
    columns: list[Column], rows: Iterable[Sequence], delimiter: str = ",", yes_no: tuple[str, str] = YES_NO
) -> Iterator[str]:
    """Yield the CSV text of the header and rows in chunks, starting with a BOM so Excel reads it as UTF-8."""
    if delimiter not in SEPARATORS.values():
        raise ValueError(f"unknown CSV separator {delimiter!r}")
    # The csv module quotes only for the separator it writes with, hence a writer of our own.
    lines = ["\ufeff" + csv_line((str(column.title) for column in columns), delimiter, yes_no)]
    for row in rows:
        lines.append(csv_line(row, delimiter, yes_no))
        if len(lines) >= CSV_ROWS_PER_CHUNK:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def clean_sheet_title(title: str) -> str:
    """Drop the characters Excel forbids in a sheet title and cut it to Excel's 31 characters."""
    cleaned = _SHEET_TITLE_FORBIDDEN.sub("", title).strip()[:SHEET_TITLE_MAX].strip()
    # Excel refuses an empty sheet title, and openpyxl would otherwise silently keep its default.
    return cleaned or "Sheet"


def _text_cell(ws: Any, text: str) -> Any:
    """A cell that holds `text` as typed: a string cell is shown, never run, whatever it starts with."""
    # openpyxl takes a string starting with "=" for a formula; the type set afterwards makes it text again.
    # The CSV quote is not needed here: the file says what each cell is, and the quote would show.
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    return cell


def _xlsx_cell(ws: Any, value: Any, yes_no: tuple[str, str]) -> Any:
    """One cell for a write-only sheet: naive dates with a date format, text as text, booleans as words."""
    if isinstance(value, dt.datetime):
        if value.utcoffset() is not None:
            raise ValueError(f"timezone-aware datetime {value!r}: convert it to local wall-clock time first")
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws)  # types-openpyxl's WriteOnlyCell takes no date as its value; a cell's value does
        cell.value = value
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, bool):
        return yes_no[0] if value else yes_no[1]
    if isinstance(value, str):
        # Control characters cannot be stored in the file format: drop them rather than fail the whole export.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        # Only these can be taken for a formula; other strings stay plain, which keeps large sheets fast.
        return _text_cell(ws, value) if value.startswith(FORMULA_PREFIXES) else value
    return value


def _discard(workbook: Workbook) -> None:
    """Finish a write-only workbook whose rows failed, so no temporary file or open stream is left behind."""
    # openpyxl streams the rows into a temporary file that it removes on save (or only at process exit):
    # saving into a throwaway buffer is the public way to finish it.
    with contextlib.suppress(Exception):
        workbook.save(io.BytesIO())


def xlsx_bytes(
    sheet_title: str, columns: list[Column], rows: Iterable[Sequence], yes_no: tuple[str, str] = YES_NO
) -> bytes:
    """Build an .xlsx with a bold frozen header, an autofilter and column widths, streaming the rows."""
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=clean_sheet_title(sheet_title))
    # A write-only sheet writes its views and columns on the first append, so these must come before it.
    ws.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = _text_cell(ws, str(column.title))
        cell.font = bold
        header.append(cell)
    last_row = 1
    try:
        ws.append(header)
        for row in rows:
            ws.append([_xlsx_cell(ws, value, yes_no) for value in row])
            last_row += 1
    except BaseException:
        _discard(workbook)
        raise
    # The autofilter is written after the rows, so it can wait until the row count is known.
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(columns), 1))}{last_row}"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def safe_filename(*parts: str, extension: str) -> str:
    """Join parts with "-" into a download file name of only [A-Za-z0-9._-], then add the extension."""
    stem = _FILENAME_UNSAFE.sub("-", "-".join(parts))
    stem = re.sub(r"-{2,}", "-", stem).strip("-")
    return f"{stem}.{extension}"


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_separator(asked: str | None, language: str) -> str:
    """The separator named by ?separator=, else the one Excel expects in the organiser's language."""
    if asked is None:
        return ";" if language == "nl" else ","
    if asked not in SEPARATORS:
        abort(400)
    return SEPARATORS[asked]


def download_list(*name_parts: str, fmt: str, columns: list[Column], rows, sheet: str) -> Response:
    """The rows as `fmt` ("csv" or "xlsx"), in a file named after `name_parts`, in the request's language."""
    yes_no = (_("yes"), _("no"))
    if fmt == "csv":
        delimiter = csv_separator(request.args.get("separator"), current_language())
        response = Response(stream_with_context(csv_chunks(columns, rows, delimiter, yes_no)), mimetype="text/csv")
        response.mimetype_params["charset"] = "utf-8"
    elif fmt == "xlsx":
        response = Response(xlsx_bytes(sheet, columns, rows, yes_no), mimetype=XLSX_TYPE)
    else:
        abort(404)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe_filename(*name_parts, extension=fmt)}"'
    response.headers["Cache-Control"] = "no-store"
    return response
