"""The statement as a PDF (fpdf2, with the DejaVu font vendored in static/fonts): texts in, bytes out."""

import io
from dataclasses import dataclass

from eventapp.pdf import FONT, new_pdf
from eventapp.tickets.qr import qr_png


@dataclass(frozen=True)
class StatementText:
    """Every line of the statement, already in the person's language."""

    heading: str
    declaration: str  # "... attended <event> on <date> in <venue>"
    name: str
    organisation: str
    sessions_heading: str
    sessions: list[str]
    hours: str
    issuer: str
    code_label: str
    code: str
    verify_hint: str
    verify_url: str


def statement_pdf(text: StatementText) -> bytes:
    """The statement on one A4 page, with the verification code and a QR code of its verification address."""
    pdf = new_pdf(text.heading)
    pdf.set_font(FONT, "B", 22)
    pdf.multi_cell(0, 11, text.heading, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 8, text.name, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 12)
    if text.organisation:
        pdf.multi_cell(0, 7, text.organisation, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(0, 7, text.declaration, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    if text.sessions:
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(0, 7, text.sessions_heading, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 12)
        for line in text.sessions:
            pdf.multi_cell(0, 7, "•  " + line, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    pdf.multi_cell(0, 7, text.hours, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(0, 7, text.issuer, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    top = pdf.get_y()
    pdf.image(io.BytesIO(qr_png(text.verify_url, box_size=8)), x=pdf.l_margin, y=top, w=40, h=40)
    pdf.set_xy(pdf.l_margin + 46, top + 2)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 6, text.code_label, align="L", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 8, text.code, align="L", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 5, text.verify_hint, align="L", new_x="LEFT", new_y="NEXT")
    pdf.multi_cell(0, 5, text.verify_url, align="L", new_x="LEFT", new_y="NEXT")
    return bytes(pdf.output())
