"""How a Dutch list sorts a person: on the surname without its tussenvoegsel, then the first name.

"Denise van der Plaat" stands under P, "Kees 't Hart" under H; "Sylvia Huis in 't Veld" under H, because
"in 't" inside a surname belongs to it. Case and accents never change the order ("Łucja" beside "Lucas").
"""

from dataclasses import dataclass

from anyascii import anyascii

# The words a Dutch (or Flemish, French, German) surname can start with, written as folded for comparison.
PREFIX_WORDS = frozenset(
    "van de der den het 't ter ten te in op aan uit bij onder over voor la le du da di del della d' l' "
    "von vom zu zum zur".split()
)
# These join the parts of a compound surname ("Huis in 't Veld", "Lith op de Beek"): after more than one given
# word they are part of the surname, not its start.
JOINING_WORDS = frozenset("in op aan uit bij onder over voor".split())
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
# Between the parts of the key: a digit sorts before every letter in every collation (C, ICU, glibc), while
# spaces and punctuation are ignored by some; the parts themselves hold letters only.
SEPARATOR = "0"
SORT_NAME_LENGTH = 400


@dataclass(frozen=True)
class NameParts:
    given: str
    prefix: str
    surname: str


def _word(token: str) -> str:
    return token.translate(APOSTROPHES).casefold()


def _prefix_run(words: list[str], start: int) -> int:
    """The index after the run of prefix words that starts at `start`."""
    end = start
    while end < len(words) and words[end] in PREFIX_WORDS:
        end += 1
    return end


def split_name(full_name: str) -> NameParts:
    """Given name(s), tussenvoegsel and surname of a full name as people write it."""
    tokens = full_name.split()
    words = [_word(token) for token in tokens]
    if len(tokens) <= 1:
        return NameParts("", "", " ".join(tokens))
    if words[0] in PREFIX_WORDS:  # a surname alone: "van Dijk"
        start = 0
    else:
        start = next((i for i in range(1, len(words)) if words[i] in PREFIX_WORDS), len(words))
        if 2 <= start < len(words) and words[start] in JOINING_WORDS:
            return NameParts(tokens[0], "", " ".join(tokens[1:]))  # "Sylvia Huis in 't Veld"
    if start == len(words):  # no tussenvoegsel: the last word is the surname
        return NameParts(" ".join(tokens[:-1]), "", tokens[-1])
    end = _prefix_run(words, start)
    if end == len(words):  # "Jan van": the last word is still the surname
        end -= 1
    return NameParts(" ".join(tokens[:start]), " ".join(tokens[start:end]), " ".join(tokens[end:]))


def _letters(text: str) -> str:
    """Lower-case ASCII letters only: "Łucja" is "lucja", "Søderhuizen" "soderhuizen", "'t Hart" "thart"."""
    return "".join(char for char in anyascii(text).casefold() if "a" <= char <= "z")


def sort_key(full_name: str) -> str:
    """The text a Dutch list sorts the name by: surname, then given name, then tussenvoegsel, folded."""
    parts = split_name(full_name)
    key = SEPARATOR.join((_letters(parts.surname), _letters(parts.given), _letters(parts.prefix)))
    return key[:SORT_NAME_LENGTH] if key.strip(SEPARATOR) else ""
