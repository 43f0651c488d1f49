"""Every PDF kind read back by pypdf (not the library that wrote it): a structure tree, marked as tagged, the
document's language and title, figures with alternative text; Dutch figures written the Dutch way."""

import io
import re

import pytest
from pypdf import PdfReader

from eventapp.platform.tickets.badges import LAYOUTS, Badge, badge_sheets

NL = {"Accept-Language": "nl"}


def structure(body: bytes) -> dict:
    reader = PdfReader(io.BytesIO(body))
    root = reader.trailer["/Root"]
    kinds, alts = [], []

    def walk(element):
        for kid in element.get("/K", []) if isinstance(element.get("/K"), list) else [element.get("/K")]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and kid.get("/Type") == "/StructElem":
                kinds.append(kid["/S"])
                if kid["/S"] == "/Figure":
                    alts.append(kid.get("/Alt"))
                walk(kid)

    walk(root["/StructTreeRoot"].get_object())
    xmp = root["/Metadata"].get_object().get_data().decode()
    return {
        "marked": bool(root["/MarkInfo"]["/Marked"]),
        "lang": root.get("/Lang"),
        "title": reader.metadata.title,
        "xmp_title": re.search(r'x-default">([^<]*)<', xmp).group(1),
        "shows_title": bool(root["/ViewerPreferences"]["/DisplayDocTitle"]),
        "kinds": kinds,
        "alts": alts,
        "text": "".join(page.extract_text() for page in reader.pages),
    }


def check(body: bytes, lang: str, title: str) -> dict:
    found = structure(body)
    assert found["marked"] is True and found["lang"] == lang and found["shows_title"] is True
    assert found["title"] == found["xmp_title"] == title
    assert found["kinds"] and all(found["alts"])
    return found


def test_the_report_is_tagged_in_dutch_with_dutch_figures_and_whole_header_words(organiser, past_day):
    body = organiser.get(f"/organiser/e/{past_day['slug']}/report.pdf", headers=NL).data
    found = check(body, "nl", "Verslag van de dag: Testdag 1")
    assert {"/H1", "/H2", "/P", "/Figure"} <= set(found["kinds"]) and len(found["alts"]) >= 3
    assert "33%" in found["text"]
    words = set(found["text"].split())
    for header in ("Soort organisatie", "Niet verschenen", "Plaatsen bezet", "Gemeente", "Politie"):
        for word in header.split():
            assert word in words or word.rstrip(",") in {w.rstrip(",") for w in words}


def test_the_statement_is_tagged_in_the_persons_language(client, past_day):
    body = client.get(f"/r/{past_day['tokens'][0]}/attendance.pdf").data
    found = check(body, "en", "Statement of attendance")
    assert (
        found["kinds"][:2] == ["/Document", "/H1"] and "/Figure" in found["kinds"]
    )  # the QR code, with its address as text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_badges_carry_the_language_their_caller_gives(lang):
    badge = Badge(name="Łucja Ëlbrink", organisation="Politie Oost", code="x" * 20, qr_alt_text="QR-code")
    sheets = badge_sheets([badge], LAYOUTS["2x4"], title="Naambadges", lang=lang)
    check(sheets, lang, "Naambadges")
    assert "/Figure" in structure(sheets)["kinds"]  # the QR code, with its alternative text


def test_a_dutch_page_writes_the_feedback_average_with_a_comma(app_context):
    from flask_babel import force_locale

    from eventapp.platform.i18n import decimal

    with force_locale("nl"):
        assert decimal(3.7) == "3,7"
    with force_locale("en"):
        assert decimal(3.7) == "3.7"


def test_a_table_starts_at_any_height_of_the_page_with_its_header_above_a_row(app):
    """A first figure of 0..39 rows puts the second table's header at every height of a page, its foot too
    (the simulated day met a header at the foot, cut by the page break)."""
    from eventapp.platform.charts import Figure
    from eventapp.report.pdf import report_pdf

    columns = ["Sessie", "Plaatsen bezet", "Niet verschenen"]
    for count in range(40):
        before = Figure("Eerst", columns, rows=[[f"Rij {n}", n, 1] for n in range(count)], values=[0] * count)
        after = Figure("Daarna", columns, rows=[["Preventie", 40, 2], ["Repressie", 30, 1]], values=[40, 30])
        with app.test_request_context(headers=NL):
            body = report_pdf("Verslag", "Testdag", [before, after], "", lang="nl")
        reader = PdfReader(io.BytesIO(body))
        for page in reader.pages:
            lines = page.extract_text().splitlines()
            assert not lines[-1].startswith("Sessie"), f"{count} rows before: a header alone at the page's foot"
