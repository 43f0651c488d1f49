"""The outbox's email policy on single headers: what it writes, and that Python's parser reads back the same text."""

from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from eventapp.platform.mail.folding import OUTBOX

LONG_URL = "https://aanmelden.jeugd-en-veiligheid-oost-nederland.example.org/newsletter/unsubscribe/" + "x" * 43


def written(name: str, value: str) -> bytes:
    """The header block of a message with one header, as the outbox writes it."""
    message = EmailMessage(policy=OUTBOX)
    message[name] = value
    return message.as_bytes(policy=OUTBOX).partition(b"\r\n\r\n")[0]


def read_back(block: bytes, name: str) -> str:
    return str(message_from_bytes(block + b"\r\n\r\n", policy=policy.default)[name])


def test_a_long_url_is_one_unencoded_word_beside_its_name():
    block = written("List-Unsubscribe", f"<{LONG_URL}>, <mailto:lijst@example.org?subject=unsubscribe>")
    assert block == (
        f"List-Unsubscribe: <{LONG_URL}>,\r\n <mailto:lijst@example.org?subject=unsubscribe>".encode("ascii")
    )


def test_a_word_longer_than_any_line_goes_to_the_email_package():
    block = written("X-Word", "a" * 1200)
    assert all(len(line) <= 998 for line in block.split(b"\r\n"))
    assert read_back(block, "X-Word") == "a" * 1200


@pytest.mark.parametrize(
    "subject",
    [
        "Uw medewerkersaccount bij Jeugd en Veiligheid Oost-Nederland — Café Ĳsselland",
        "Coöperatie, één en ander: " + "ë" * 80 + " en dan nog wat tekst",
    ],
)
def test_a_subject_with_other_characters_reads_back_as_written_and_folds_at_whitespace(subject):
    block = written("Subject", subject)
    assert block.isascii() and not block.startswith(b"Subject:\r\n")
    lines = block.split(b"\r\n")
    assert all(line[:1] in b" \t" and line.strip() for line in lines[1:])
    assert all(not line.endswith((b" ", b"\t")) for line in lines)
    assert read_back(block, "Subject") == subject


def test_an_address_too_long_for_the_first_line_stays_beside_the_name():
    name = "Renée Huis in 't Veld-Oudendijk-Hoekstra van den Bergh tot Nijenrode-Sonnenberg"
    block = written("To", f"{name} <person1@example.org>")
    assert block.startswith(b"To: =?utf-8?")
    assert read_back(block, "To") == f"{name} <person1@example.org>"
