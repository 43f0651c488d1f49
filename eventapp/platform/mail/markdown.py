"""The organiser's own words in a mail: Markdown limited to paragraphs, emphasis, lists and links.

Pure: text in, HTML or plain text out. Raw HTML is shown as text (never passed through), images and every
other block are switched off, and a link keeps only an http(s) or mailto address: a mail program runs
nothing, but a `javascript:` link in the organiser's mail to 400 people is still not ours to send.
"""

from markdown_it import MarkdownIt
from markupsafe import Markup

SAFE_SCHEMES = ("http://", "https://", "mailto:")

# Everything CommonMark has beyond paragraphs, emphasis, lists and links (and the line breaks within them).
_OFF = [
    "image",
    "heading",
    "lheading",
    "code",
    "fence",
    "blockquote",
    "hr",
    "html_block",
    "html_inline",
    "backticks",
    "reference",
    "autolink",
    "entity",
]


def _safe_link(url: str) -> bool:
    return url.strip().lower().startswith(SAFE_SCHEMES)


class _SafeLinks(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        return _safe_link(url)  # a link to anything else stays the text it was written as


def _parser() -> MarkdownIt:
    return _SafeLinks("commonmark", {"html": False}).disable(_OFF)


_PARSER = _parser()


def to_html(text: str | None) -> Markup:
    """The text as HTML for the mail's HTML part (empty for no text); safe to put in a template as is."""
    if text is None or not text.strip():
        return Markup("")
    return Markup(_PARSER.render(text))


def to_text(text: str | None) -> str:
    """The text for the plain-text part: Markdown reads as plain text, so it is the text itself, trimmed."""
    return (text or "").strip()
