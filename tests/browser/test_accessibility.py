"""axe-core on every page, in Dutch and English, at 375 and 1280 px: no finding at all.

The rules are WCAG 2.1 A and AA and axe's best practices; every impact counts (minor and moderate too).
The pages are those of tests/test_html_validity.py's PAGES plus a few states (see tests/browser/tour.py).
"""

from tests.test_html_validity import STATUS


def test_axe_finds_nothing_on_any_page(visits):
    found = {f"{v.name} [{v.language}, {v.width}px]": v.findings for v in visits if v.findings}
    assert found == {}, f"{len(found)} pages with findings"


def test_every_page_of_the_tour_answered_with_its_status(visits):
    """The findings and widths are of the pages meant: not of an error page that took a page's place."""
    wrong = {f"{v.name} [{v.language}, {v.width}px]": v.status for v in visits if v.status != STATUS.get(v.name, 200)}
    assert wrong == {}
    assert len({v.name for v in visits}) > 40
