"""The report as a tagged PDF: per figure a heading, a drawn bar chart with its alternative text, and its table
(the SVG charts stay on the page; this is the printable, archivable version, readable by a screen reader)."""

from collections.abc import Sequence

from flask_babel import gettext as _

from eventapp.platform.charts import Figure
from eventapp.platform.i18n import decimal
from eventapp.platform.pdf import FONT, TaggedPDF, new_pdf

LABEL_WIDTH = 70  # mm beside each bar for its label
VALUE_WIDTH = 18  # mm after the longest bar for its figure
BAR_ROW = 5  # mm a bar's row takes at most
TABLE_LINE = 4.6  # mm a line of the table takes
TABLE_SIZES = (9, 8, 7)  # the table's font sizes, the first whose words fit the page's width
BAR_COLOUR = (22, 66, 91)  # the charts' first colour (eventapp/charts.py)


def report_pdf(title: str, subtitle: str, figures: list[Figure], note: str, lang: str | None = None) -> bytes:
    pdf = new_pdf(title, orientation="landscape", lang=lang)
    pdf.heading(title, 1, 18)
    pdf.set_font(FONT, "", 11)
    pdf.paragraph(6, subtitle)
    pdf.paragraph(6, note)
    for figure in figures:
        pdf.ln(4)
        pdf.heading(figure.title, 2, 13)
        _chart(pdf, figure)
        _table(pdf, figure)
    return bytes(pdf.output())


def _chart(pdf: TaggedPDF, figure: Figure) -> None:
    """This edition's value per row as horizontal bars, one Figure whose alternative text names the largest."""
    bars = [(str(row[0]), value) for row, value in zip(figure.rows, figure.values, strict=False) if value]
    if not bars:
        return
    room = pdf.page_break_trigger - pdf.t_margin - 20
    step = min(BAR_ROW, room / len(bars))
    pdf.ln(2)
    pdf.keep_on_page(step * len(bars))
    largest_label, largest = max(bars, key=lambda bar: bar[1])
    alt = _(
        "Bar chart of %(title)s, one bar per row of the table below; the largest is %(label)s (%(value)s).",
        title=figure.title,
        label=largest_label,
        value=decimal(largest),
    )
    length = pdf.epw - LABEL_WIDTH - VALUE_WIDTH
    top = pdf.get_y()
    pdf.set_font(FONT, "", min(8, step * 2))
    pdf.set_fill_color(*BAR_COLOUR)
    with pdf.tagged("Figure", alt=alt):
        for number, (label, value) in enumerate(bars):
            y = top + number * step
            pdf.set_xy(pdf.l_margin, y)
            pdf.cell(LABEL_WIDTH - 2, step, _shortened(pdf, label, LABEL_WIDTH - 4))
            width = length * value / largest
            pdf.rect(pdf.l_margin + LABEL_WIDTH, y + step * 0.15, width, step * 0.7, style="F")
            pdf.set_xy(pdf.l_margin + LABEL_WIDTH + width + 1, y)
            pdf.cell(VALUE_WIDTH - 1, step, decimal(value))
    pdf.set_xy(pdf.l_margin, top + len(bars) * step + 2)


def _shortened(pdf: TaggedPDF, text: str, width: float) -> str:
    """The label cut with an ellipsis to fit beside its bar (the table and the alternative text have it whole)."""
    while text and pdf.get_string_width(text) > width:
        text = text[:-2] + "…"
    return text


def _table(pdf: TaggedPDF, figure: Figure) -> None:
    """The figure's table: the header again on each new page, every cell a paragraph in reading order."""
    header = [str(column) for column in figure.columns]
    rows = [[str(cell) for cell in row] for row in figure.rows]
    widths = _fitting_widths(pdf, header, rows)
    pdf.ln(1)
    # The header with its first row: a header alone at a page's foot would be cut by the page break.
    first_row = _row_height(pdf, rows[0], widths) if rows else 0
    pdf.keep_on_page(_row_height(pdf, header, widths, bold=True) + first_row)
    _row(pdf, header, widths, bold=True)
    for row in rows:
        if pdf.get_y() + _row_height(pdf, row, widths) > pdf.page_break_trigger:
            pdf.add_page()
            _row(pdf, header, widths, bold=True)
        _row(pdf, row, widths, bold=False)


def _fitting_widths(pdf: TaggedPDF, header: list[str], rows: list[list[str]]) -> list[float]:
    """Column widths in which no word is broken: the first column has three shares, the others one, and a
    column is widened to its longest word (in the largest font size of TABLE_SIZES where they all fit)."""
    shares = [3, *[1] * (len(header) - 1)]
    for size in TABLE_SIZES:
        least = [_widest_word(pdf, column, size) + 2 * pdf.c_margin + 0.5 for column in zip(header, *rows, strict=True)]
        if sum(least) <= pdf.epw:
            break
    pdf.set_font(FONT, "", size)
    wanted = [pdf.epw * share / sum(shares) for share in shares]
    spare = pdf.epw - sum(max(w, m) for w, m in zip(wanted, least, strict=True))
    if spare >= 0:
        return [max(w, m) + spare / len(wanted) for w, m in zip(wanted, least, strict=True)]
    # The widened columns take their room from the others, in proportion to what those have above their words.
    slack = [max(w - m, 0) for w, m in zip(wanted, least, strict=True)]
    return [max(w, m) + spare * s / sum(slack) for w, m, s in zip(wanted, least, slack, strict=True)]


def _widest_word(pdf: TaggedPDF, cells: Sequence[str], size: float) -> float:
    header, *body = cells
    pdf.set_font(FONT, "B", size)
    widest = max((pdf.get_string_width(word) for word in header.split()), default=0)
    pdf.set_font(FONT, "", size)
    return max([widest, *(pdf.get_string_width(word) for cell in body for word in cell.split())])


def _row_height(pdf: TaggedPDF, cells: list[str], widths: list[float], bold: bool = False) -> float:
    pdf.set_font(FONT, "B" if bold else "", pdf.font_size_pt)
    lines = [
        # fpdf2 types the result as the union of every `output`; "LINES" alone gives the list of lines.
        len(pdf.multi_cell(w, TABLE_LINE, c, dry_run=True, output="LINES"))  # type: ignore[arg-type]
        for c, w in zip(cells, widths, strict=True)
    ]
    return TABLE_LINE * max(lines)


def _row(pdf: TaggedPDF, cells: list[str], widths: list[float], bold: bool) -> None:
    """One row of the table: each cell a tagged paragraph, the rules between the rows drawn as an artifact."""
    top, x = pdf.get_y(), pdf.l_margin
    height = _row_height(pdf, cells, widths, bold)
    for cell, width in zip(cells, widths, strict=True):
        pdf.set_xy(x, top)
        with pdf.tagged("P"):
            pdf.multi_cell(width, TABLE_LINE, cell, align="L")
        x += width
    with pdf.artifact():
        pdf.line(pdf.l_margin, top + height, pdf.l_margin + sum(widths), top + height)
    pdf.set_xy(pdf.l_margin, top + height)
