"""Language choice and locale-aware text for templates."""

from enum import StrEnum

from flask import Flask, g, request, session
from flask_babel import format_date, format_datetime, format_decimal, format_percent, get_locale

from eventapp.platform.settings import settings


def select_locale() -> str:
    """The visitor's language: the one they chose with the switch, else the language of the
    registration whose page this is, else the browser's preference among ours, else Dutch."""
    chosen = session.get("language") or g.get("owner_language")
    if chosen in settings().languages:
        return chosen
    return request.accept_languages.best_match(settings().languages, default=settings().babel_default_locale)


class Labelled(StrEnum):
    """A status or kind whose members read as words in the reader's language (`member.label`).

    The database and the code keep the English value; the words are set beside the enum with `set_labels`.
    """

    @property
    def label(self) -> str:
        return str(_LABELS[type(self)][self])


_LABELS: dict[type, dict] = {}


def set_labels(enum: type[Labelled], labels: dict) -> None:
    """The words for every member of `enum` (lazy strings, translated when read)."""
    missing = set(enum) - set(labels)
    if missing:
        raise ValueError(f"{enum.__name__} has no words for {sorted(missing)}")
    _LABELS[enum] = labels


def current_language() -> str:
    """'nl' or 'en' for the current request (the default outside a request)."""
    locale = get_locale()
    return locale.language if locale else settings().babel_default_locale


def text_in(obj, field: str, language: str) -> str:
    """obj.<field>_<language>, falling back to the other language when empty."""
    for lang in [language, *settings().languages]:
        value = getattr(obj, f"{field}_{lang}", None)
        if value:
            return value
    return ""


def localized(obj, field: str) -> str:
    """obj.<field>_<lang> in the current request's language."""
    return text_in(obj, field, current_language())


def decimal(value: float | None, digits: int = 1) -> str:
    """A figure as the reader writes it (3,7 in Dutch, 3.7 in English), "–" when there is none."""
    if value is None:
        return "–"
    return format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0")


def percent(share: float | None) -> str:
    """A share (0.37) as the reader writes a percentage, in whole percents; "–" when there is none."""
    return "–" if share is None else format_percent(share, format="#,##0%")


# One pattern for both languages: Babel's "full" English is American ("Saturday, March 14, 2026");
# "Saturday 14 March 2026" reads as the Dutch "zaterdag 14 maart 2026" does.
LONG_DATE = "EEEE d MMMM yyyy"


def long_date(day) -> str:
    return format_date(day, LONG_DATE)


def init_app(app: Flask) -> None:
    """Make the helpers available in templates."""
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["localized"] = localized
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["long_datetime"] = lambda moment: format_datetime(moment, LONG_DATE + ", HH:mm")
    app.jinja_env.filters["decimal"] = decimal
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["hhmm"] = lambda time: time.strftime("%H:%M")
    app.jinja_env.tests["greeting"] = opens_with_greeting
    app.jinja_env.globals["zip"] = zip
    app.context_processor(lambda: {"current_language": current_language()})


# The words a Dutch or English letter opens with: a text that has its own greeting gets no second one.
GREETINGS = {
    "beste",
    "geachte",
    "lieve",
    "hallo",
    "hoi",
    "goedendag",
    "goedemorgen",
    "goedemiddag",
    "dag",
    "dear",
    "hello",
    "hi",
}


def opens_with_greeting(text: str | None) -> bool:
    """Whether `text` (an organiser's message, a newsletter) starts with a greeting line of its own."""
    first_line = (text or "").strip().split("\n", 1)[0].strip()
    words = first_line.lower().replace(",", " ").split()
    return bool(words) and words[0] in GREETINGS and len(first_line) <= 80
