"""The outbox's email policy: headers as mail programs read them raw, bodies that pass every relay.

Python's email package writes a header value it cannot break at a space as RFC 2047 encoded words, so a
production-length URL in List-Unsubscribe reached the server as `=?utf-8?q?=3Chttps…?=` (mail programs read that
header raw and showed no unsubscribe button), and it puts an address or Message-ID too long for the first line on
a line of its own after a bare `To:`. This policy writes every plain-ASCII value as it is, folded only at its own
whitespace (RFC 5322 2.2.3) and with its first word beside the name. In free text (Subject) only the words that
are not ASCII become encoded words, folded the same way (the email package left a space at a line's end and
another at the next one's start, so "Oost-Nederland — Café" read back with two spaces); an address or other
structured value with such characters is left to the email package, and that too never starts on the line after
the colon. With `cte_type="7bit"` every text part that is not plain ASCII goes out quoted-printable or base64, so
no relay needs 8BITMIME.
"""

import re
from email.header import Header
from email.headerregistry import UnstructuredHeader
from email.policy import EmailPolicy

SOFT_LIMIT = 78  # RFC 5322 2.1.1: a line SHOULD be at most 78 characters, and MUST be at most 998
HARD_LIMIT = 998
WHITESPACE = " \t"
_PLAIN = re.compile(r"[\x20-\x7e\t]+")  # printable ASCII: written as it is
_WORD = re.compile(r"[ \t]*[^ \t]+")  # a word with the whitespace before it: a fold goes before that whitespace


class OutboxPolicy(EmailPolicy):
    """EmailPolicy whose folding keeps plain-ASCII values unencoded (see the module docstring)."""

    def fold(self, name, value):
        text = str(value) if hasattr(value, "name") else "".join(value.splitlines())  # a header, or source text
        text = text.strip()
        written = None
        if is_plain(text):
            written = self.written(name, text)
        elif isinstance(value, UnstructuredHeader) and text:
            written = self.written(name, encoded_words(text))
        return written or beside_the_name(name, super().fold(name, value), self.linesep)

    def written(self, name: str, text: str) -> str | None:
        """The field folded at whitespace, or None when a word is too long for any line."""
        lines = folded(name, text)
        return self.linesep.join(lines) + self.linesep if all(len(line) <= HARD_LIMIT for line in lines) else None

    def fold_binary(self, name, value):
        """As `fold`, in ASCII bytes (with cte_type 7bit and utf8 off the email package's own fold_binary is
        exactly this too)."""
        return self.fold(name, value).encode("ascii", "surrogateescape")


def is_plain(text: str) -> bool:
    """Printable ASCII that no reader takes for an encoded word (one that looks like it is encoded instead)."""
    return bool(_PLAIN.fullmatch(text)) and "=?" not in text


def encoded_words(text: str) -> str:
    """Free text with each run of words that are not plain as RFC 2047 encoded words of at most 75 characters
    (RFC 2047 2), the whitespace before a run kept outside it; the spaces between encoded words vanish when read."""
    words, run = [], []
    for word in [*_WORD.findall(text), ""]:  # the empty word at the end ends the last run
        if word and not is_plain(word):
            run.append(word)
            continue
        if run:
            joined = "".join(run)
            payload = joined.lstrip(WHITESPACE)
            encoded = Header(payload, "utf-8").encode(linesep="\n", maxlinelen=75).replace("\n", "")
            words.append(joined[: len(joined) - len(payload)] + encoded)
            run = []
        words.append(word)
    return "".join(words)


def folded(name: str, text: str) -> list[str]:
    """`Name: text` in lines of at most SOFT_LIMIT where the words allow, broken only before whitespace."""
    first, *others = _WORD.findall(text)
    lines = [f"{name}: {first}"]
    for word in others:
        if len(lines[-1]) + len(word) <= SOFT_LIMIT:
            lines[-1] += word
        else:
            lines.append(word)
    return lines


def beside_the_name(name: str, header: str, linesep: str) -> str:
    """The email package's folding, with a value it started on the next line moved up beside `Name:`."""
    bare = f"{name}:{linesep}"
    if header.startswith(bare):
        return f"{name}: " + header[len(bare) :].lstrip(WHITESPACE)
    return header


OUTBOX = OutboxPolicy(linesep="\r\n", cte_type="7bit")
