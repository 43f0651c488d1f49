"""PDF pages (fpdf2) in the DejaVu font vendored in static/fonts: the letters of every name (ë, ı, ł, ø).

Every document is a tagged PDF (PDF/UA's shape): a language, a title the viewer shows in its window, and a
structure tree that reads in page order: headings (H1, H2), paragraphs (P) and figures (Figure, with their
alternative text). fpdf2 2.8 tags only images and outline entries by itself, so `tagged` opens the marked
content for the other kinds; its structure is flat (every element a child of the Document).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path

from fpdf import FPDF, ViewerPreferences
from fpdf.errors import FPDFException

FONTS = Path(__file__).resolve().parents[1] / "static" / "fonts"
FONT = "DejaVu"


class TaggedPDF(FPDF):
    """An FPDF whose text is tagged: `heading`, `paragraph` and `text` each become one structure element."""

    @contextmanager
    def tagged(self, kind: str, alt: str | None = None) -> Iterator[None]:
        """What is drawn inside becomes one structure element of `kind` ("P", "H1", "Figure" with `alt`)."""
        # fpdf2's own helper (_marked_sequence) always says /Figure; the rest of its bookkeeping is reused.
        mcid = self.struct_builder.next_mcid_for_page(self.page)
        self._add_marked_content(struct_type=f"/{kind}", mcid=mcid, alt_text=alt)
        start_page = self.page
        self._out(f"/{kind} <</MCID {mcid}>> BDC")
        yield
        if self.page != start_page:
            raise FPDFException(f"a page break inside a tagged {kind}: keep it on one page")
        self._out("EMC")

    @contextmanager
    def artifact(self) -> Iterator[None]:
        """What is drawn inside is decoration (rules, borders): not read out, and not in the structure."""
        self._out("/Artifact BMC")
        yield
        self._out("EMC")

    def keep_on_page(self, height: float) -> None:
        """A new page when `height` millimetres no longer fit on this one (a tagged element never spans two)."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def paragraph(self, height: float, text: str, kind: str = "P", **options) -> None:
        """One tagged block of wrapped text from the left margin, on one page."""
        options = {"align": "L", "new_x": "LMARGIN", "new_y": "NEXT", **options}
        lines = self.multi_cell(0, height, text, dry_run=True, output="LINES", **options)
        if not isinstance(lines, list):  # output="LINES" gives the lines alone
            raise TypeError(f"multi_cell gave {type(lines).__name__}, not the lines")
        self.keep_on_page(height * len(lines))
        with self.tagged(kind):
            self.multi_cell(0, height, text, **options)

    def heading(self, text: str, level: int, size: float) -> None:
        """A heading (H1, H2, ...) that is also a bookmark in the viewer's outline."""
        self.set_font(FONT, "B", size)
        self.keep_on_page(size * 0.6 + 12)  # the heading and a line of what follows it
        self.start_section(text, level - 1)
        self.paragraph(size * 0.5, text, kind=f"H{level}")

    def text(self, x: float, y: float, text: str = "") -> None:
        """A placed line of text (as on the badges), tagged as a paragraph of its own."""
        with self.tagged("P"):
            super().text(x, y, text)


def _xmp(title: str) -> str:
    """The metadata stream PDF/UA asks for: the title again (dc:title) and the claim of PDF/UA-1."""
    return f"""<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
        xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
      <pdfuaid:part>1</pdfuaid:part>
    </rdf:Description>
  </rdf:RDF>
</x:xmpmeta>"""


def new_pdf(title: str, orientation: str = "portrait", *, lang: str | None = None) -> TaggedPDF:
    """An A4 document in DejaVu Sans with its title (shown as the window's title), its language when given,
    and a first page added."""
    pdf = TaggedPDF(orientation=orientation, format="A4")
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_xmp_metadata(_xmp(title))
    if lang:
        pdf.set_lang(lang)
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.set_display_mode("fullwidth")
    pdf.set_creator("eventapp")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    return pdf
