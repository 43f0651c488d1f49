"""No page scrolls sideways on a phone: at 375 px every page is at most as wide as the window.

Wide tables scroll inside their own region instead. Measured in both languages over every page of the tour
(tests/browser/tour.py), with the check-in settings open, the print list and a single mail among them.
"""

from tests.browser.tour import SCREEN_HEIGHT, WIDTHS


def test_no_page_is_wider_than_a_phone(visits):
    narrow = [v for v in visits if v.width == WIDTHS[0]]
    assert len(narrow) > 80
    assert all(v.window_width == WIDTHS[0] for v in narrow)
    too_wide = {f"{v.name} [{v.language}]": v.page_width for v in narrow if v.page_width > v.window_width}
    assert too_wide == {}


def test_no_page_is_wider_than_a_laptop(visits):
    wide = {f"{v.name} [{v.language}]": v.page_width for v in visits if v.page_width > v.window_width}
    assert wide == {}


def test_the_personal_page_of_a_registered_person_is_at_most_three_phone_screens(visits):
    """Its forms fold away (issue 35): the page was 9,300 px on a phone, four pilot-contact forms dominating it."""
    pages = {
        f"{v.name} [{v.language}]": v.page_height
        for v in visits
        if v.width == WIDTHS[0] and v.name in ("personal page, confirmed", "personal page, in Dutch")
    }
    assert len(pages) == 4
    assert {name: height for name, height in pages.items() if height > 3 * SCREEN_HEIGHT} == {}
