"""Badges never lose a name and always scan: the longest names of a generated set on every layout and label size,
read back with pypdf, every QR code decoded with zxing-cpp from pages rasterised with pypdfium2 at 150 and 72 dpi."""

import dataclasses
import io
import itertools

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from eventapp.platform.tickets.badges import LAYOUTS, Badge, badge_corners, badge_sheets, qr_square
from eventapp.platform.tickets.qr import qr_matrix

FIRST = ["Anna-Maria", "Çiğdem", "Jan-Willem Frederik", "Maximiliaan", "Zoë", "Bartholomeüs"]
LAST = [
    "van den Berg-Oudendijk-Hoekstra",
    "Üzümcü-de la Fuente",
    "Huis in 't Veld-van der Schaaf",
    "Wijnbergen-Schimmelpenninck van der Oye",
    "Łukasiewicz-Østergaard",
    "de Jong",
]
ORGANISATIONS = [
    "Raad voor de Kinderbescherming, regio Oost-Nederland, locatie Zwolle",
    "Gemeente Súdwest-Fryslân, afdeling Maatschappelijke Ontwikkeling en Jeugd",
    "Stichting Jeugdbescherming Gelderland-Zuid en Rivierenland",
    "HALT",
]
SESSIONS = ["14:20 Preventie en vroegsignalering in de wijk · Zaal 1", "15:30 Pilot Oost · Grote zaal"]


def longest_people(count: int) -> list[Badge]:
    """Every first name with every surname, the longest first; long organisations and codes of a ticket's length."""
    names = sorted((f"{first} {last}" for first, last in itertools.product(FIRST, LAST)), key=len, reverse=True)
    return [
        Badge(
            name=name,
            organisation=ORGANISATIONS[n % len(ORGANISATIONS)],
            code=f"{n:02d}{'K7pQ2xZr' * 8}"[:64],  # as long as a ticket code may be
            qr_alt_text=f"QR code of {name}",
            sessions=SESSIONS,
            event_title="Regionale dag Jeugd en Veiligheid Oost-Nederland 2027",
        )
        for n, name in enumerate(names[:count])
    ]


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text with its lines joined: a name broken after its hyphen reads as one name again."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return [" ".join(page.extract_text().replace("-\n", "-").split()) for page in pages]


def alternative_texts(node) -> list[str]:
    """The /Alt of every element of a structure tree, read from the tree itself (pypdf)."""
    node = node.get_object()
    if isinstance(node, list):
        return [alt for child in node for alt in alternative_texts(child)]
    if not hasattr(node, "get"):
        return []
    found = [str(node["/Alt"])] if "/Alt" in node else []
    return found + (alternative_texts(node["/K"]) if "/K" in node else [])


def codes_on(pdf: bytes, page_number: int, dpi: int) -> list[str]:
    image = pypdfium2.PdfDocument(pdf)[page_number].render(scale=dpi / 72).to_pil()
    return sorted(result.text for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode))


@pytest.mark.parametrize("layout_name", sorted(LAYOUTS))
def test_every_name_prints_whole_and_every_code_scans_at_150_and_72_dpi(layout_name):
    layout = LAYOUTS[layout_name]
    people = longest_people(2 * layout.per_page if layout.is_label else layout.per_page)
    pdf = badge_sheets(people, layout, title="Badges")
    texts = page_texts(pdf)
    for page_number in range(len(people) // layout.per_page):
        page_people = people[page_number * layout.per_page : (page_number + 1) * layout.per_page]
        for person in page_people:
            assert person.name in texts[page_number]
            assert "…" not in person.name and person.organisation[:12] in texts[page_number]
        for dpi in (150, 72):
            assert codes_on(pdf, page_number, dpi) == sorted(person.code for person in page_people), (dpi, layout_name)


@pytest.mark.parametrize(("layout_name", "size"), [("label-62x100", (62, 100)), ("label-54x101", (54, 101))])
def test_a_label_layout_prints_one_badge_a_page_of_the_labels_size(layout_name, size):
    pdf = badge_sheets(longest_people(3), LAYOUTS[layout_name])
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 3
    for page in pages:
        assert tuple(round(float(v) * 25.4 / 72) for v in page.mediabox[2:]) == size


def test_a_long_organisation_ends_in_an_ellipsis_and_the_name_never_does():
    name = "Anna-Maria van den Berg-Oudendijk-Hoekstra"
    organisation = " ".join(["Raad voor de Kinderbescherming, regio Oost-Nederland, locatie Zwolle"] * 3)
    badge = Badge(name=name, organisation=organisation, code="code-1", qr_alt_text="QR")
    text = page_texts(badge_sheets([badge], LAYOUTS["2x5"]))[0]
    assert name in text and text.count("…") == 1 and "…" in text and organisation not in text


def test_the_qr_code_has_its_alternative_text():
    badge = Badge(name="Zoë de Vriës", organisation="Gemeente Ede", code="code-1", qr_alt_text="QR code of Zoë")
    pdf = badge_sheets([badge], LAYOUTS["label-62x100"])
    tree = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"]
    assert alternative_texts(tree) == ["QR code of Zoë"]


@pytest.mark.parametrize("layout_name", sorted(LAYOUTS))
def test_no_text_reaches_the_quiet_zone_of_any_qr_code(layout_name):
    """The ring of 4 modules around each code, rendered at 300 dpi, is white: no letter of a long text is in it."""
    layout = LAYOUTS[layout_name]
    people = [
        dataclasses.replace(person, sessions=SESSIONS * 4, organisation=" ".join(ORGANISATIONS))
        for person in longest_people(layout.per_page)
    ]
    image = pypdfium2.PdfDocument(badge_sheets(people, layout))[0].render(scale=300 / 72, grayscale=True).to_pil()
    pixels_per_mm = 300 / 25.4
    for person, corner in zip(people, badge_corners(layout), strict=True):
        left, top, size = qr_square(layout, *corner)
        zone = 4 * size / len(qr_matrix(person.code))
        inner = image.crop([round(v * pixels_per_mm) for v in (left, top, left + size, top + size)])
        ring_edge = round(zone * pixels_per_mm) - 2  # two pixels inside: anti-aliased module edges do not count
        for box in ((0, 0, inner.width, ring_edge), (0, 0, ring_edge, inner.height)):
            assert inner.crop(box).getextrema()[0] > 250, (layout_name, person.name)
        for box in (
            (0, inner.height - ring_edge, inner.width, inner.height),
            (inner.width - ring_edge, 0, inner.width, inner.height),
        ):
            assert inner.crop(box).getextrema()[0] > 250, (layout_name, person.name)


@pytest.mark.parametrize("layout_name", sorted(LAYOUTS))
def test_a_name_as_long_as_the_form_takes_prints_whole(layout_name):
    name = " ".join(["Wijnbergen-Schimmelpenninck van der Oye"] * 6)[:200].strip()  # the form's Length(max=200)
    badge = Badge(name=name, organisation=ORGANISATIONS[0], code="code-1", qr_alt_text="QR", sessions=SESSIONS)
    pdf = badge_sheets([badge], LAYOUTS[layout_name])
    assert name in page_texts(pdf)[0]
    assert codes_on(pdf, 0, 72) == ["code-1"]
