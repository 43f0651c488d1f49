"""Name badges: pure builders, the people in, an A4 PDF of badge sheets out (reportlab).

The fonts are DejaVu Sans (vendored in eventapp/static/fonts/ with their licence, shared with the
statements), so names such as Yılmaz, Łukasz or Zoë print as written. The QR code is drawn as
vector squares from the ticket's code (the same code as the ticket's QR in the mail), with its quiet
zone, so it scans from paper.
"""

import io
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from eventapp.tickets.qr import qr_matrix

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
CUT_LINE = Color(0.8, 0.8, 0.8)


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


def _register_fonts() -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))


def badge_sheets(badges: list[Badge], layout: Layout, title: str = "") -> bytes:
    """The badges on A4 pages, `layout.per_page` a page, left to right and top to bottom."""
    _register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    page_width, page_height = A4
    left = (page_width - layout.columns * layout.width * mm) / 2
    top = page_height - (page_height - layout.rows * layout.height * mm) / 2
    for index, badge in enumerate(badges):
        spot = index % layout.per_page
        if index and spot == 0:
            canvas.showPage()
        row, column = divmod(spot, layout.columns)
        x = left + column * layout.width * mm
        y = top - (row + 1) * layout.height * mm
        _draw_badge(canvas, badge, x, y, layout.width * mm, layout.height * mm)
    if not badges:
        canvas.setFont(REGULAR, 12)
        canvas.drawString(20 * mm, page_height - 20 * mm, title)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_badge(canvas: Canvas, badge: Badge, x: float, y: float, width: float, height: float) -> None:
    canvas.setStrokeColor(CUT_LINE)
    canvas.setLineWidth(0.3)
    canvas.rect(x, y, width, height)
    pad = 5 * mm
    qr_size = min(height * 0.55, 32 * mm)
    _draw_qr(canvas, badge.code, x + width - pad - qr_size, y + pad, qr_size)
    text_width = width - 2 * pad
    cursor = y + height - pad
    if badge.event_title:
        canvas.setFont(REGULAR, 6.5)
        canvas.setFillColor(black)
        canvas.drawString(x + pad, cursor - 6.5, _fit(badge.event_title, REGULAR, 6.5, text_width))
        cursor -= 10
    cursor = _draw_name(canvas, badge.name, x + pad, cursor, text_width, height)
    canvas.setFont(REGULAR, 9)
    for line in simpleSplit(badge.organisation, REGULAR, 9, text_width)[:2]:
        cursor -= 11
        canvas.drawString(x + pad, cursor, line)
    cursor -= 4
    beside_qr = width - 2 * pad - qr_size - 2 * mm  # below the QR code's top, the lines share the width with it
    qr_top = y + pad + qr_size
    canvas.setFont(REGULAR, 7.5)
    for session in badge.sessions:
        for number, line in enumerate(_wrap(session, text_width if cursor - 9.5 > qr_top else beside_qr)):
            cursor -= 9.5
            if cursor < y + pad:
                return
            canvas.drawString(x + pad + (6 if number else 0), cursor, line)


def _draw_name(canvas: Canvas, name: str, x: float, top: float, width: float, height: float) -> float:
    """The name as large as fits (one line, else two); returns where the text below may start."""
    largest = 24 if height > 60 * mm else 20
    for size in range(largest, 13, -1):
        if pdfmetrics.stringWidth(name, BOLD, size) <= width:
            lines = [name]
            break
    else:
        size = 14
        lines = simpleSplit(name, BOLD, size, width)[:2]
    canvas.setFont(BOLD, size)
    canvas.setFillColor(black)
    for line in lines:
        top -= size * 1.1
        canvas.drawString(x, top, line)
    return top - 2


def _wrap(text: str, width: float) -> list[str]:
    """A session line in at most two lines (the second indented), shortened with an ellipsis beyond that."""
    lines = simpleSplit(text, REGULAR, 7.5, width - 6)
    if len(lines) <= 1:
        return [_fit(text, REGULAR, 7.5, width)]
    return [lines[0], _fit(" ".join(lines[1:]), REGULAR, 7.5, width - 6)]


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text, shortened with an ellipsis to fit `width`."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _draw_qr(canvas: Canvas, code: str, x: float, y: float, size: float) -> None:
    """The code's modules as black squares (the matrix includes the quiet zone)."""
    matrix = qr_matrix(code)
    module = size / len(matrix)
    canvas.setFillColor(black)
    canvas.setStrokeColor(black)
    for row_number, row in enumerate(matrix):
        for column_number, dark in enumerate(row):
            if dark:
                canvas.rect(
                    x + column_number * module,
                    y + size - (row_number + 1) * module,
                    module,
                    module,
                    stroke=0,
                    fill=1,
                )
