"""Text fitted on a badge: lines placed from the top, as wide as the badge above the QR code and narrower beside it,
so no letter reaches the code's quiet zone. Sizes step down to a floor, then the text wraps (between words, after
a hyphen); an ellipsis only where the caller allows one. Lengths in millimetres, sizes in points."""

import dataclasses
import re
from dataclasses import dataclass

from fpdf import FPDF

from eventapp.platform.pdf import FONT

PT = 25.4 / 72
ASCENT, LEADING = 0.93, 1.2  # DejaVu Sans: the baseline below a line's top, and a line's height, in ems
NARROWEST = 15  # beside the QR code, a column narrower than this holds no text


@dataclass(frozen=True)
class Line:
    text: str
    style: str
    size: float
    x: float
    baseline: float
    bottom: float


@dataclass(frozen=True)
class Flow:
    """The text box of one badge, and `y`, where the next line's top goes."""

    left: float
    top: float
    right: float
    bottom: float
    qr_left: float  # the quiet zone's edge with the gap around it
    qr_top: float
    y: float = 0

    def at(self, y: float) -> "Flow":
        return dataclasses.replace(self, y=y)

    def below(self, lines: list[Line], space: float) -> "Flow":
        """The flow after these lines (and `space`), or unchanged when there are none."""
        return self.at(lines[-1].bottom + space) if lines else self

    def width(self, y: float, height: float) -> float:
        """The room for a line from `y` down `height`: the whole width above the QR code, the column beside it."""
        if y + height > self.bottom:
            return 0
        if y + height <= self.qr_top:
            return self.right - self.left
        beside = self.qr_left - self.left
        return beside if beside >= NARROWEST else 0


def _steps(largest: float, floor: float) -> list[float]:
    return [largest - 0.5 * n for n in range(int((largest - floor) * 2) + 1)]


def one_line(pdf: FPDF, flow: Flow, text: str, style: str, largest: float, floor: float, shorten=True) -> list[Line]:
    """The text on one line, as large as fits down to `floor`; at the floor with an ellipsis if `shorten`, else []."""
    for size in _steps(largest, floor):
        pdf.set_font(FONT, style, size)
        room = flow.width(flow.y, LEADING * size * PT)
        if room and pdf.get_string_width(text) <= room:
            return [_line(flow, text, style, size, flow.y, 0)]
    room = flow.width(flow.y, LEADING * floor * PT)
    if not (shorten and room):
        return []
    return [_line(flow, _ellipsis(pdf, text, room), style, floor, flow.y, 0)]


def fitted(pdf: FPDF, flow: Flow, text: str, style: str, largest: float, floor: float, most: int, indent=0.0):
    """One line down to `floor`, else wrapped at the floor in at most `most` lines, the last shortened with "…"."""
    return one_line(pdf, flow, text, style, largest, floor, shorten=False) or wrapped(
        pdf, flow, text, style, floor, most, shorten=True, indent=indent
    )


def wrapped(  # noqa: PLR0913 (the text, its font and the rules of its breaking)
    pdf: FPDF, flow: Flow, text: str, style: str, size: float, most: int | None, shorten=False, indent=0.0, split=True
) -> list[Line]:
    """The whole text in lines of `size` (further lines indented by `indent`); [] when it does not fit, unless
    `shorten`: then the lines that fit, the last ending in "…". A word wider than a line is split only if `split`."""
    if not text:
        return []
    pdf.set_font(FONT, style, size)
    height = LEADING * size * PT
    lines: list[Line] = []
    pieces, y, last_room = _pieces(text), flow.y, 0.0
    while pieces:
        room = flow.width(y, height) - (indent if lines else 0)
        if room <= 0 or (most is not None and len(lines) == most):
            if not (shorten and lines):
                return []
            last = lines.pop()
            rest = last.text + "".join(pieces)
            return [*lines, dataclasses.replace(last, text=_ellipsis(pdf, rest, last_room))]
        taken = _take(pdf, pieces, room, split)
        if not taken:
            return []
        lines.append(_line(flow, "".join(pieces[:taken]).strip(), style, size, y, indent if lines else 0))
        pieces, last_room, y = pieces[taken:], room, y + height
    return lines


def _pieces(text: str) -> list[str]:
    """Where a line may break: before a space (which the piece keeps in front) and after a hyphen."""
    return [piece for piece in re.split(r"(?<=-)(?=\S)|(?=\s)", " ".join(text.split())) if piece]


def _take(pdf: FPDF, pieces: list[str], room: float, split: bool) -> int:
    """How many pieces fill a line of `room`; a piece wider than a whole line is split between its letters if
    `split`, else none is taken."""
    taken = 0
    while taken < len(pieces) and pdf.get_string_width("".join(pieces[: taken + 1]).strip()) <= room:
        taken += 1
    if taken == 0 and split:
        piece = pieces[0]
        cut = max(1, next(n for n in range(len(piece), 0, -1) if pdf.get_string_width(piece[:n]) <= room or n == 1))
        pieces[0:1] = [piece[:cut], piece[cut:]]
        taken = 1
    return taken


def _line(flow: Flow, text: str, style: str, size: float, y: float, indent: float) -> Line:
    return Line(text, style, size, flow.left + indent, y + ASCENT * size * PT, y + LEADING * size * PT)


def _ellipsis(pdf: FPDF, text: str, room: float) -> str:
    """The text shortened at its end with an ellipsis to fit `room` in the current font."""
    text = text.strip()
    if pdf.get_string_width(text) <= room:
        return text
    while text and pdf.get_string_width(text.rstrip(" -") + "…") > room:
        text = text[:-1]
    return text.rstrip(" -,") + "…"
