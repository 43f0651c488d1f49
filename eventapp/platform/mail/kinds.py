"""The registry of mail kinds: each area registers the mails it sends, and the outbox finds them by name.

The outbox is infrastructure: it stores, composes and sends whatever an area registered, and never
imports an area. An area registers, for each kind, how to build the message and, where a message
can stop being true before it is sent, whether it is still wanted.
"""

from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from flask_babel import force_locale

from eventapp.platform.mail.messages import MailParts, build_email
from eventapp.platform.mail.models import OutgoingMail


class UnknownMailKind(LookupError):
    """A mail of a kind no area registered."""


class NothingToCompose(LookupError):
    """What the mail is about is gone (erased): there is no message to show or send."""


@dataclass(frozen=True)
class MailKind:
    """How to build one kind of message, and whether one waiting in the outbox is still wanted."""

    name: str  # the area's enum member (a Labelled StrEnum), so its label can be read
    build: Callable[[OutgoingMail], MailParts]  # called in the recipient's language
    still_wanted: Callable[[OutgoingMail], bool] | None = None  # None: always


_KINDS: dict[str, MailKind] = {}


def register(name: str, build: Callable[[OutgoingMail], MailParts], still_wanted=None) -> None:
    """Make a kind known (registering it again replaces it: each app factory registers its areas)."""
    _KINDS[name] = MailKind(name, build, still_wanted)


def label_of(name: str) -> str:
    """The kind in the reader's words (an area's kinds are Labelled enums), else its name."""
    kind = _KINDS.get(name)
    return getattr(kind.name if kind else None, "label", name)


def names() -> list[str]:
    """Every registered kind, in the order the areas registered them."""
    return list(_KINDS)


def known(name: str) -> bool:
    return name in _KINDS


def kind_of(mail: OutgoingMail) -> MailKind:
    try:
        return _KINDS[mail.kind]
    except KeyError:
        raise UnknownMailKind(mail.kind) from None


def compose(mail: OutgoingMail) -> EmailMessage:
    """The full message for an outbox row, in its recipient's language."""
    with force_locale(mail.language):
        message = build_email(kind_of(mail).build(mail))
    # RFC 3282: mail programs and screen readers read the text in the language it is written in.
    message["Content-Language"] = mail.language
    return message


def message_of(mail: OutgoingMail) -> EmailMessage:
    """The message as it was built (and sent), when it was; otherwise composed now (a mail not yet built)."""
    if mail.mime is not None:
        return message_from_bytes(mail.mime, policy=policy.default)
    return compose(mail)


def is_superseded(mail: OutgoingMail) -> bool:
    """A message that is no longer true or wanted (its area says so): it is not sent."""
    still_wanted = kind_of(mail).still_wanted
    return still_wanted is not None and not still_wanted(mail)
