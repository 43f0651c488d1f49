"""Name badges: pure builders, the people in, an A4 PDF of badge sheets out (fpdf2, through eventapp.pdf).

The fonts are DejaVu Sans as set up by `eventapp.pdf.new_pdf` (vendored in eventapp/static/fonts/ and
shared with the statements and the report), so names such as Yılmaz, Łukasz or Zoë print as written.
The QR code is drawn as vector squares from the ticket's code (the same code as the ticket's QR in the
mail), with its quiet zone, so it scans from paper. Lengths are in millimetres, font sizes in points.
"""

from dataclasses import dataclass, field

from fpdf import FPDF

from eventapp.pdf import FONT, new_pdf
from eventapp.tickets.qr import qr_matrix

A4_WIDTH, A4_HEIGHT = 210, 297
PT = 25.4 / 72  # one point in millimetres: the text's spacing is set in points, like its size
CUT_LINE = 204  # light grey
PAD = 5


@dataclass(frozen=True)
class Layout:
    """Badges per A4 page: `columns` x `rows` of `width` x `height` millimetres, centred on the page."""

    columns: int
    rows: int
    width: float
    height: float

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


# Common label sheets: 2x4 (badges of 95 x 68 mm) and 2x5 (business-card holders, 90 x 55 mm).
LAYOUTS = {"2x4": Layout(2, 4, 95, 68), "2x5": Layout(2, 5, 90, 55)}


@dataclass(frozen=True)
class Badge:
    """What one badge shows: the name large, the organisation, the sessions with rooms, the ticket's QR code."""

    name: str
    organisation: str
    code: str
    sessions: list[str] = field(default_factory=list)  # "14:20 Preventie · Zaal 1"
    event_title: str = ""


def badge_sheets(badges: list[Badge], layout: Layout, title: str = "") -> bytes:
    """The badges on A4 pages, `layout.per_page` a page, left to right and top to bottom."""
    pdf = new_pdf(title)
    pdf.set_auto_page_break(False)  # the badges are placed, never flowed
    pdf.c_margin = 0  # wrapping measures the text itself, without a cell's padding
    left = (A4_WIDTH - layout.columns * layout.width) / 2
    top = (A4_HEIGHT - layout.rows * layout.height) / 2
    for index, badge in enumerate(badges):
        spot = index % layout.per_page
        if index and spot == 0:
            pdf.add_page()
        row, column = divmod(spot, layout.columns)
        _draw_badge(pdf, badge, left + column * layout.width, top + row * layout.height, layout)
    if not badges:
        pdf.set_font(FONT, size=12)
        pdf.text(20, 20, title)
    return bytes(pdf.output())


def _draw_badge(pdf: FPDF, badge: Badge, x: float, y: float, layout: Layout) -> None:
    """One badge with its top left corner at (x, y); `cursor` is the baseline of the last line drawn."""
    width, height = layout.width, layout.height
    pdf.set_draw_color(CUT_LINE)
    pdf.set_line_width(0.3 * PT)
    pdf.rect(x, y, width, height)
    qr_size = min(height * 0.55, 32)
    qr_top = y + height - PAD - qr_size
    _draw_qr(pdf, badge.code, x + width - PAD - qr_size, qr_top, qr_size)
    text_width = width - 2 * PAD
    cursor = y + PAD
    pdf.set_text_color(0)
    if badge.event_title:
        pdf.set_font(FONT, size=6.5)
        pdf.text(x + PAD, cursor + 6.5 * PT, _fit(pdf, badge.event_title, text_width))
        cursor += 10 * PT
    cursor = _draw_name(pdf, badge.name, x + PAD, cursor, text_width, height)
    pdf.set_font(FONT, size=9)
    for line in _lines(pdf, badge.organisation, text_width)[:2]:
        cursor += 11 * PT
        pdf.text(x + PAD, cursor, line)
    cursor += 4 * PT
    beside_qr = text_width - qr_size - 2  # below the QR code's top, the lines share the width with it
    pdf.set_font(FONT, size=7.5)
    for session in badge.sessions:
        for number, line in enumerate(_wrap(pdf, session, text_width if cursor + 9.5 * PT < qr_top else beside_qr)):
            cursor += 9.5 * PT
            if cursor > y + height - PAD:
                return
            pdf.text(x + PAD + (6 * PT if number else 0), cursor, line)


def _draw_name(pdf: FPDF, name: str, x: float, cursor: float, width: float, height: float) -> float:
    """The name as large as fits (one line, else two); returns the baseline the text below follows."""
    largest = 24 if height > 60 else 20
    for size in range(largest, 13, -1):
        pdf.set_font(FONT, "B", size)
        if pdf.get_string_width(name) <= width:
            lines = [name]
            break
    else:
        lines = _lines(pdf, name, width)[:2]  # in the smallest size, 14 points
    for line in lines:
        cursor += size * 1.1 * PT
        pdf.text(x, cursor, line)
    return cursor + 2 * PT


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """A session line in at most two lines (the second indented), shortened with an ellipsis beyond that."""
    lines = _lines(pdf, text, width - 6 * PT)
    if len(lines) <= 1:
        return [_fit(pdf, text, width)]
    return [lines[0], _fit(pdf, " ".join(lines[1:]), width - 6 * PT)]


def _lines(pdf: FPDF, text: str, width: float) -> list[str]:
    """The text broken into lines of `width` in the current font, between words where it can."""
    return pdf.multi_cell(width, text=text, dry_run=True, output="LINES") if text else []


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """The text, shortened with an ellipsis to fit `width` in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _draw_qr(pdf: FPDF, code: str, x: float, y: float, size: float) -> None:
    """The code's modules as black squares from the top left (the matrix includes the quiet zone)."""
    matrix = qr_matrix(code)
    module = size / len(matrix)
    pdf.set_fill_color(0)
    for row_number, row in enumerate(matrix):
        for column_number, dark in enumerate(row):
            if dark:
                pdf.rect(x + column_number * module, y + row_number * module, module, module, style="F")
