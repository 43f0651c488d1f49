"""The outbox's email policy: headers as mail programs read them raw, bodies that pass every relay.

Python's email package writes a header value it cannot break at a space as RFC 2047 encoded words, so a
production-length URL in List-Unsubscribe reached the server as `=?utf-8?q?=3Chttps…?=` (mail programs read that
header raw and showed no unsubscribe button), and it puts an address or Message-ID too long for the first line on
a line of its own after a bare `To:`. This policy writes every plain-ASCII value as it is, folded only at its own
whitespace (RFC 5322 2.2.3) and with its first word beside the name; only a value with other characters is left
to the email package to encode, and that too never starts on the line after the colon. With `cte_type="7bit"`
every text part that is not plain ASCII goes out quoted-printable or base64, so no relay needs 8BITMIME.
"""

import re
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
        # A value that looks like an encoded word is left to the email package, which encodes it (so no reader
        # decodes text that was meant literally).
        if _PLAIN.fullmatch(text) and "=?" not in text:
            lines = folded(name, text)
            if all(len(line) <= HARD_LIMIT for line in lines):
                return self.linesep.join(lines) + self.linesep
        return beside_the_name(name, super().fold(name, value), self.linesep)

    def fold_binary(self, name, value):
        """As `fold`, in ASCII bytes (with cte_type 7bit and utf8 off the email package's own fold_binary is
        exactly this too)."""
        return self.fold(name, value).encode("ascii", "surrogateescape")


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
