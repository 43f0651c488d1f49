"""PDF pages (fpdf2) in the DejaVu font vendored in static/fonts: the letters of every name (ë, ı, ł, ø)."""

from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "static" / "fonts"
FONT = "DejaVu"


def new_pdf(title: str, orientation: str = "portrait") -> FPDF:
    """An A4 document in DejaVu Sans with its title set and a first page added."""
    pdf = FPDF(orientation=orientation, format="A4")
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_creator("eventapp")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    return pdf
