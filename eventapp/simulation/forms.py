"""Reading HTML forms the way a browser submits them: every field with its value as the page set it."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class Form:
    """One <form>: where it goes and the fields a browser would send (checkboxes and radios only when checked)."""

    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)  # radios and selects: the values on offer

    def filled(self, **values: str) -> dict[str, str]:
        return {**self.fields, **values}


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(Form(attributes.get("action", ""), attributes.get("method", "get").lower()))
        elif not self.forms:
            return
        elif tag == "input":
            self._input(self.forms[-1], attributes)
        elif tag == "select":
            self._select = attributes.get("name")
        elif tag == "option" and self._select:
            self._option(self.forms[-1], self._select, attributes)
        elif tag == "textarea":
            self._textarea = attributes.get("name")
            if self._textarea:
                self.forms[-1].fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] += data

    @staticmethod
    def _input(form: Form, attributes: dict) -> None:
        name, kind = attributes.get("name"), attributes.get("type", "text").lower()
        if not name or kind in ("submit", "button", "image", "reset", "file"):
            return
        if kind in ("radio", "checkbox"):
            form.options.setdefault(name, []).append(attributes.get("value", "on"))
            if "checked" in attributes:
                form.fields[name] = attributes.get("value", "on")
            return
        form.fields[name] = attributes.get("value", "")

    @staticmethod
    def _option(form: Form, select: str, attributes: dict) -> None:
        values = form.options.setdefault(select, [])
        values.append(attributes.get("value", ""))
        if "selected" in attributes or len(values) == 1:
            form.fields[select] = attributes.get("value", "")


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_to(html: str, action_part: str, page_url: str = "") -> Form:
    """The page's POST form whose address contains `action_part`; with "", the form that posts to the page itself."""
    posting = [form for form in forms_of(html) if form.method == "post"]
    for form in posting:
        target = urljoin(page_url, form.action) if form.action else page_url
        if (action_part and action_part in urlsplit(target).path) or (not action_part and target == page_url):
            return form
    raise LookupError(f"no POST form to {action_part or page_url!r}")
