"""The statement as a tagged PDF (fpdf2, with the DejaVu font vendored in static/fonts): texts in, bytes out,
in the language of the locale the caller forces (the person's)."""

import io
from dataclasses import dataclass

from flask_babel import gettext as _

from eventapp.platform.i18n import current_language
from eventapp.platform.pdf import FONT, new_pdf
from eventapp.platform.tickets.qr import qr_png


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
    pdf = new_pdf(text.heading, lang=current_language())
    pdf.heading(text.heading, 1, 22)
    pdf.ln(6)
    pdf.set_font(FONT, "B", 16)
    pdf.paragraph(8, text.name)
    pdf.set_font(FONT, "", 12)
    if text.organisation:
        pdf.paragraph(7, text.organisation)
    pdf.ln(4)
    pdf.paragraph(7, text.declaration)
    pdf.ln(4)
    if text.sessions:
        pdf.heading(text.sessions_heading, 2, 12)
        pdf.set_font(FONT, "", 12)
        for line in text.sessions:
            pdf.paragraph(7, "•  " + line)
        pdf.ln(4)
    pdf.paragraph(7, text.hours)
    pdf.ln(4)
    pdf.paragraph(7, text.issuer)
    pdf.ln(10)
    _verification(pdf, text)
    return bytes(pdf.output())


def _verification(pdf, text: StatementText) -> None:
    """The QR code of the verification address, and beside it the code and the address written out."""
    pdf.keep_on_page(40)
    top = pdf.get_y()
    alt = _("QR code of the verification address %(url)s", url=text.verify_url)
    pdf.image(io.BytesIO(qr_png(text.verify_url, box_size=8)), x=pdf.l_margin, y=top, w=40, h=40, alt_text=alt)
    pdf.set_left_margin(pdf.l_margin + 46)
    pdf.set_xy(pdf.l_margin, top + 2)
    pdf.set_font(FONT, "", 10)
    pdf.paragraph(6, text.code_label)
    pdf.set_font(FONT, "B", 14)
    pdf.paragraph(8, text.code)
    pdf.set_font(FONT, "", 10)
    pdf.paragraph(5, text.verify_hint)
    pdf.paragraph(5, text.verify_url)
    pdf.set_left_margin(pdf.l_margin - 46)
