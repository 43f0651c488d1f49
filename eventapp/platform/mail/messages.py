"""Building a MIME message: pure, parts in, an email.message.EmailMessage out.

The tree is the one mail programs understand best for an invitation with a ticket:

    multipart/mixed
      multipart/alternative
        text/plain
        multipart/related
          text/html                    (shows the QR code inline, by Content-ID)
          image/png                    (the QR code)
        text/calendar; method=REQUEST  (mail programs offer "add to calendar")
      text/calendar attachment (invite.ics)

The stdlib's EmailMessage refuses header values with line breaks, so a name cannot forge headers. Every message is
built and written with the outbox's policy (folding.OUTBOX): headers unencoded where they are plain ASCII, folded
only at whitespace, and 7bit-safe parts.
"""

import unicodedata
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import flask_mail

from eventapp.platform.mail.folding import OUTBOX


@dataclass(frozen=True)
class InlineImage:
    """An image the HTML part shows through `cid:<cid>`."""

    cid: str
    data: bytes
    filename: str
    subtype: str = "png"


@dataclass(frozen=True)
class CalendarPart:
    """A calendar to offer: METHOD is REQUEST for an invitation, CANCEL for a cancellation."""

    ics: bytes
    method: str


@dataclass(frozen=True)
class MailParts:
    """Everything a message consists of."""

    subject: str
    sender: tuple[str, str]  # (display name, address)
    recipient: tuple[str, str]
    text: str
    html: str
    images: list[InlineImage] = field(default_factory=list)
    calendar: CalendarPart | None = None
    # False only for a text a person wrote and the app delivers for them (RFC 3834 `Auto-Submitted: no`).
    automatic: bool = True
    # A mail to a list of people: (list-label, description) for List-Id (RFC 2919), in the sender's domain.
    mailing_list: tuple[str, str] | None = None
    unsubscribe_url: str | None = None  # the https link that unsubscribes with one POST (RFC 8058)


def build_email(parts: MailParts) -> EmailMessage:
    """The MIME tree of the module docstring, from `parts`."""
    message = EmailMessage(policy=OUTBOX)
    message["Subject"] = parts.subject
    message["From"] = _address(parts.sender)
    message["To"] = _address(parts.recipient)
    message["Date"] = formatdate(localtime=True)
    domain = parts.sender[1].rpartition("@")[2]
    message["Message-ID"] = make_msgid(domain=domain or None)
    message["Auto-Submitted"] = "auto-generated" if parts.automatic else "no"
    _add_list_headers(message, parts, domain)

    message.set_content(parts.text, subtype="plain", charset="utf-8")
    message.add_alternative(parts.html, subtype="html", charset="utf-8")
    html = list(message.iter_parts())[1]  # multipart/alternative: text/plain, then text/html
    for image in parts.images:
        html.add_related(
            image.data,
            maintype="image",
            subtype=image.subtype,
            cid=f"<{image.cid}>",
            disposition="inline",
            filename=image.filename,
        )
    if parts.calendar is not None:
        method = {"method": parts.calendar.method}
        message.add_alternative(parts.calendar.ics.decode("utf-8"), subtype="calendar", charset="utf-8", params=method)
        message.add_attachment(
            parts.calendar.ics, maintype="text", subtype="calendar", filename="invite.ics", params=method
        )
    return message


def _add_list_headers(message: EmailMessage, parts: MailParts, domain: str) -> None:
    """List-Id for a mail to a list; List-Unsubscribe with its one-click POST for a mail one can leave."""
    if parts.mailing_list is not None:
        label, description = parts.mailing_list
        message["List-Id"] = f"{_quoted_ascii(description)} <{label}.{domain}>"
    if parts.unsubscribe_url is not None:
        # RFC 2369 and 8058: the https link mail programs POST to, and a mail to the organiser for those that
        # only send mail (the organiser unsubscribes that address by hand).
        mailto = f"mailto:{parts.sender[1]}?subject=unsubscribe"
        message["List-Unsubscribe"] = f"<{parts.unsubscribe_url}>, <{mailto}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"


def _quoted_ascii(text: str) -> str:
    """A quoted-string in plain ASCII (accents dropped, "Café" reads "Cafe"): List-Id is read unencoded."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    printable = " ".join("".join(char for char in ascii_text if char.isprintable()).split())
    return '"' + printable.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _address(person: tuple[str, str]) -> Address:
    name, email = person
    # A display name is one line: any line break or control character becomes a space.
    name = " ".join("".join(" " if unicodedata.category(char).startswith("C") else char for char in name).split())
    username, _, domain = email.rpartition("@")
    return Address(display_name=name, username=username, domain=domain)


class MimeMessage(flask_mail.Message):
    """A Flask-Mail message whose bytes are a prepared EmailMessage (Flask-Mail does the SMTP)."""

    def __init__(self, email: EmailMessage, raw: bytes | None = None):
        sender = email["From"].addresses[0].addr_spec
        super().__init__(
            subject=str(email["Subject"]),
            recipients=[address.addr_spec for address in email["To"].addresses],
            sender=sender,
        )
        self.email = email
        self.raw = raw

    def as_bytes(self) -> bytes:
        """The prepared message, with SMTP line endings (exactly as stored, when it was built before)."""
        return self.raw if self.raw is not None else self.email.as_bytes(policy=OUTBOX)

    def as_string(self) -> str:
        return self.as_bytes().decode("utf-8", errors="replace")


def text_of(message: EmailMessage) -> str:
    """The text part of a mail the app built (every one has a text part; one without is a bug)."""
    body = message.get_body(("plain",))
    if body is None:
        raise LookupError(f"the mail {message['Subject']!r} has no text/plain part")
    return body.get_content()
