"""No page scrolls sideways on a phone: at 375 px every page is at most as wide as the window.

Wide tables scroll inside their own region instead. Measured in both languages over every page of the tour
(tests/browser/tour.py), with the check-in settings open, the print list and a single mail among them.
"""

from tests.browser.tour import WIDTHS


def test_no_page_is_wider_than_a_phone(visits):
    narrow = [v for v in visits if v.width == WIDTHS[0]]
    assert len(narrow) > 80
    assert all(v.window_width == WIDTHS[0] for v in narrow)
    too_wide = {f"{v.name} [{v.language}]": v.page_width for v in narrow if v.page_width > v.window_width}
    assert too_wide == {}


def test_no_page_is_wider_than_a_laptop(visits):
    wide = {f"{v.name} [{v.language}]": v.page_width for v in visits if v.page_width > v.window_width}
    assert wide == {}
