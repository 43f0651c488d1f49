"""The report as a PDF: per figure its table, with a simple bar beside each row for the value its chart shows
for this edition (the SVG charts stay on the page; this is the printable, archivable version)."""

from eventapp.charts import Figure
from eventapp.pdf import FONT, new_pdf

BAR_BLOCKS = 12  # the longest bar of a table, in full-block characters


def report_pdf(title: str, subtitle: str, figures: list[Figure], note: str) -> bytes:
    pdf = new_pdf(title, orientation="landscape")
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(0, 9, title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(0, 6, subtitle, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, note, align="L", new_x="LMARGIN", new_y="NEXT")
    for figure in figures:
        _figure(pdf, figure)
    return bytes(pdf.output())


def _figure(pdf, figure: Figure) -> None:
    pdf.ln(4)
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(0, 8, figure.title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    largest = max((v for v in figure.values if v), default=0) or 1
    widths = (3, *([1] * (len(figure.columns) - 1)), 2)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=5, first_row_as_headings=True) as table:
        table.row([str(column) for column in figure.columns] + [""])
        for number, values in enumerate(figure.rows):
            value = figure.values[number] if number < len(figure.values) else None
            row = table.row([str(cell) for cell in values])
            row.cell("█" * round(BAR_BLOCKS * value / largest) if value else "")
