"""The report as a PDF: per figure its table, with a simple bar beside each row for its first number
(the SVG charts stay on the page; this is the printable, archivable version)."""

from eventapp.charts import Figure
from eventapp.pdf import FONT, new_pdf


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
    numbers = [row[1] for row in figure.rows if len(row) > 1 and isinstance(row[1], int | float)]
    largest = max(numbers, default=0) or 1
    with pdf.table(
        col_widths=(3, *([1] * (len(figure.columns) - 1)), 2),
        text_align="LEFT",
        line_height=5,
        first_row_as_headings=True,
    ) as table:
        table.row([str(column) for column in figure.columns] + [""])
        for values in figure.rows:
            row = table.row([str(value) for value in values])
            value = values[1] if len(values) > 1 and isinstance(values[1], int | float) else 0
            row.cell("█" * round(12 * value / largest) if value else "")
