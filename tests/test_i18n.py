"""Dutch by default, English on request, every string translated, the choice remembered."""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "eventapp" / "translations" / "nl" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def extracted_messages(tmp_path) -> list:
    """The strings in the code and templates now, as `pybabel extract` finds them."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--ignore-dirs",  # by default Babel skips folders starting with "_", such as templates/_macros
            ".* .venv",
            "--no-location",
            "--omit-header",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with open(pot, "rb") as handle:
        return [message for message in read_po(handle) if message.id]


def test_the_extraction_sees_the_macros(tmp_path):
    assert "%(num)d seat left" in {
        message.id[0] if isinstance(message.id, tuple) else message.id for message in extracted_messages(tmp_path)
    }


def test_every_string_has_a_dutch_translation(tmp_path):
    with open(CATALOGUE, "rb") as handle:
        dutch = read_po(handle)
    missing, fuzzy, broken = [], [], []
    for message in extracted_messages(tmp_path):
        translated = dutch.get(message.id)
        strings = (
            [translated.string]
            if translated and isinstance(translated.string, str)
            else list(translated.string if translated else [])
        )
        if translated is None or not all(strings):
            missing.append(message.id)
        elif "fuzzy" in translated.flags:
            fuzzy.append(message.id)
        else:
            source = message.id if isinstance(message.id, str) else " ".join(message.id)
            if any(set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(s)) for s in strings):
                broken.append(message.id)
    assert missing == [], f"{len(missing)} strings without Dutch (run `make update-translations`): {missing[:5]}"
    assert fuzzy == [] and broken == []


def test_dutch_by_default_english_when_the_browser_asks(app, demo_slug):
    client = app.test_client()  # names no language
    dutch = client.get(f"/e/{demo_slug}/register").get_data(as_text=True)
    assert '<html lang="nl">' in dutch and "Aanmelden" in dutch and "Register" not in dutch
    english = client.get(f"/e/{demo_slug}/register", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(
        as_text=True
    )
    assert '<html lang="en">' in english and "Register" in english


def test_the_language_switch_is_remembered(app, demo_slug):
    client = app.test_client()
    page = client.get(f"/e/{demo_slug}/").get_data(as_text=True)
    switch = re.search(r'href="(/language/en[^"]*)"', page).group(1).replace("&amp;", "&")
    response = client.get(switch)
    assert response.status_code == 302 and response.headers["Location"] == f"/e/{demo_slug}/"
    assert '<html lang="en">' in client.get(f"/e/{demo_slug}/", headers={"Accept-Language": "nl"}).get_data(
        as_text=True
    )
    assert client.get("/language/de").status_code == 404
    assert client.get("/language/nl?next=https://evil.example/").headers["Location"] == "/"


def test_dates_in_dutch(demo_slug, app):
    html = app.test_client().get(f"/e/{demo_slug}/").get_data(as_text=True)
    months = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    assert re.search(
        rf"(maandag|dinsdag|woensdag|donderdag|vrijdag) \d{{1,2}} ({months}) 20\d\d",
        html,
    )
