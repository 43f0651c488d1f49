"""Name badges: pure builders, the people in, a PDF out (fpdf2, through platform.pdf): A4 sheets or single labels.

The fonts are DejaVu Sans as set up by `eventapp.platform.pdf.new_pdf` (vendored in eventapp/static/fonts/ and
shared with the statements and the report), so names such as Yılmaz, Łukasz or Zoë print as written.
The QR code is the ticket's (the same code as in the mail), placed as a vector image with its quiet zone and an
alternative text. The text flows around it and never enters the quiet zone, so the code scans from paper.
The name is never shortened: its size steps down to a floor, then it wraps; only the organisation may end in "…".
Lengths are in millimetres, font sizes in points.
"""

import io
from dataclasses import dataclass, field

from fpdf import FPDF

from eventapp.platform.pdf import FONT, new_pdf
from eventapp.platform.tickets.badge_text import Flow, Line, fitted, one_line, wrapped
from eventapp.platform.tickets.qr import qr_svg

A4 = (210, 297)
PT = 25.4 / 72  # one point in millimetres: the text's spacing is set in points, like its size
CUT_LINE = 204  # light grey
PAD = 5
GAP = 1.5  # between the text and the QR code's quiet zone (the quiet zone is inside the drawn square)
NAME_FLOOR = 12  # the smallest size a name steps down to on one line, before it wraps
NAME_LAST_RESORT = 6  # smaller still only for a name that does not fit the badge wrapped at the floor
ORGANISATION_LINES = 3


@dataclass(frozen=True)
class Layout:
    """`columns` x `rows` badges of `width` x `height` mm a page of `page` (width, height), centred on it.

    A label (one badge a page of the badge's own size) has no cut lines: the printer cuts or the label is die-cut.
    """

    columns: int
    rows: int
    width: float
    height: float
    page: tuple[float, float] = A4

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def is_label(self) -> bool:
        return self.page == (self.width, self.height)


LAYOUTS = {
    "2x4": Layout(2, 4, 95, 68),  # A4 label sheets of badges
    "2x5": Layout(2, 5, 90, 55),  # A4 business-card holders
    "label-62x100": Layout(1, 1, 62, 100, page=(62, 100)),  # Brother QL, 62 mm continuous roll cut at 100 mm
    "label-54x101": Layout(1, 1, 54, 101, page=(54, 101)),  # Dymo LabelWriter 99014 (54 x 101 mm)
}


@dataclass(frozen=True)
class Badge:
    """What one badge shows: the name large, the organisation, the sessions with rooms, the ticket's QR code."""

    name: str
    organisation: str
    code: str
    qr_alt_text: str  # what a screen reader says for the QR code, in the document's language
    sessions: list[str] = field(default_factory=list)  # "14:20 Preventie · Zaal 1"
    event_title: str = ""


def badge_sheets(badges: list[Badge], layout: Layout, title: str = "", lang: str | None = None) -> bytes:
    """The badges, `layout.per_page` a page, left to right and top to bottom; a tagged PDF in `lang`."""
    pdf = new_pdf(title, lang=lang)
    _size_page(pdf, layout.page)
    pdf.set_auto_page_break(False)  # the badges are placed, never flowed
    pdf.c_margin = 0  # widths measure the text itself, without a cell's padding
    corners = badge_corners(layout)
    for index, badge in enumerate(badges):
        spot = index % layout.per_page
        if index and spot == 0:
            pdf.add_page(format=layout.page)
        _draw_badge(pdf, badge, *corners[spot], layout)
    if not badges:
        pdf.set_font(FONT, size=12)
        pdf.text(PAD, PAD + 12 * PT, title)
    return bytes(pdf.output())


def _size_page(pdf: FPDF, page: tuple[float, float]) -> None:
    """`new_pdf` opens on A4; a label's first page takes the label's size (later pages get it from add_page)."""
    if page != A4:
        pdf.pages[pdf.page].set_dimensions(page[0] * pdf.k, page[1] * pdf.k)
        pdf.w, pdf.h = page


def qr_square(layout: Layout, x: float, y: float) -> tuple[float, float, float]:
    """Left, top and size of the QR code (its quiet zone included) on the badge whose top left is (x, y)."""
    size = min(layout.height * 0.55, layout.width * 0.55, 32)
    return x + layout.width - PAD - size, y + layout.height - PAD - size, size


def badge_corners(layout: Layout) -> list[tuple[float, float]]:
    """The top left corner of each badge on a page, in the order they are filled."""
    left = (layout.page[0] - layout.columns * layout.width) / 2
    top = (layout.page[1] - layout.rows * layout.height) / 2
    return [
        (left + column * layout.width, top + row * layout.height)
        for row in range(layout.rows)
        for column in range(layout.columns)
    ]


def _draw_badge(pdf: FPDF, badge: Badge, x: float, y: float, layout: Layout) -> None:
    """One badge with its top left corner at (x, y): the QR code bottom right, the text flowing around it."""
    width, height = layout.width, layout.height
    if not layout.is_label:
        pdf.set_draw_color(CUT_LINE)
        pdf.set_line_width(0.3 * PT)
        pdf.rect(x, y, width, height)
    qr_left, qr_top, qr_size = qr_square(layout, x, y)
    svg = io.BytesIO(qr_svg(badge.code).encode())
    pdf.image(svg, x=qr_left, y=qr_top, w=qr_size, h=qr_size, alt_text=badge.qr_alt_text)
    flow = Flow(
        left=x + PAD,
        top=y + PAD,
        right=x + width - PAD,
        bottom=y + height - PAD,
        qr_left=qr_left - GAP,
        qr_top=qr_top - GAP,
    )
    pdf.set_text_color(0)
    for line in _plan(pdf, badge, flow, largest=24 if height > 60 else 20):
        pdf.set_font(FONT, line.style, line.size)
        pdf.text(line.x, line.baseline, line.text)


def _plan(pdf: FPDF, badge: Badge, flow: Flow, largest: float) -> list[Line]:
    """The lines of the badge: the event's title when there is room for it, the whole name, then what fits."""
    for with_title in (True, False):
        start = flow.at(flow.top)
        title = one_line(pdf, start, badge.event_title, "", 6.5, 5) if with_title and badge.event_title else []
        after_title = start.below(title, 1.5 * PT)
        name = _name(pdf, after_title, badge.name, largest)
        if name is not None:
            break
    else:  # longer than the 200 characters a form takes (those fit every layout): as much as fits, with "…"
        name = wrapped(pdf, after_title, badge.name, "B", NAME_LAST_RESORT, None, shorten=True)
    cursor = after_title.below(name, 2 * PT)
    organisation = fitted(pdf, cursor, badge.organisation, "", 9, 7, ORGANISATION_LINES)
    cursor = cursor.below(organisation, 3 * PT)
    sessions = []
    for session in badge.sessions:
        lines = fitted(pdf, cursor, session, "", 7.5, 7.5, 2, indent=6 * PT)
        if not lines:
            break
        sessions += lines
        cursor = cursor.below(lines, 0)
    return title + name + organisation + sessions


def _name(pdf: FPDF, cursor: Flow, name: str, largest: float) -> list[Line] | None:
    """The name on one line as large as fits down to the floor, else wrapped at the floor (smaller only where a
    word would have to be split or the lines would not fit); None when it does not fit whole even then."""
    lines = one_line(pdf, cursor, name, "B", largest, NAME_FLOOR, shorten=False)
    for size in range(NAME_FLOOR, NAME_LAST_RESORT - 1, -1):
        lines = lines or wrapped(pdf, cursor, name, "B", size, None, split=False)
    return lines or wrapped(pdf, cursor, name, "B", NAME_LAST_RESORT, None) or None
