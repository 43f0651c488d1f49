"""Public pages in Chromium: nothing is loaded from another host, nothing breaks the CSP."""

from tests.conftest import load_demo
from tests.served import served_app


def test_public_pages_load_only_from_this_server(app, database_url, tmp_path, launch, screenshot):
    slug = load_demo(app)
    with served_app(database_url, tmp_path / "gunicorn.log", workers=1, threads=4) as base_url:
        page = launch().new_page(viewport={"width": 390, "height": 844}, locale="nl-NL")
        outside, problems = [], []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((base_url, "data:")) else None)
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        for path, name in [
            ("/", "start"),
            (f"/e/{slug}/", "event"),
            (f"/e/{slug}/register", "register"),
            ("/privacy", "privacy"),
        ]:
            response = page.goto(base_url + path)
            assert response.status == 200, path
            screenshot(page, f"public-{name}-phone", full_page=True)
    assert outside == []
    assert problems == []
