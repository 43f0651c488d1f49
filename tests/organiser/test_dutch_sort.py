"""The Dutch sort rule, without HTTP: surname without its tussenvoegsel, then the first name, folded."""

import pytest

from eventapp.registration.names import NameParts, sort_key, split_name


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Denise van der Plaat", NameParts("Denise", "van der", "Plaat")),
        ("Jan de Vries", NameParts("Jan", "de", "Vries")),
        ("Ans ter Horst", NameParts("Ans", "ter", "Horst")),
        ("Piet van 't Hof", NameParts("Piet", "van 't", "Hof")),
        ("Kees 't Hart", NameParts("Kees", "'t", "Hart")),
        ("Kees ’t Hart", NameParts("Kees", "’t", "Hart")),
        ("Sylvia Huis in 't Veld", NameParts("Sylvia", "", "Huis in 't Veld")),
        ("Mieke in 't Veld", NameParts("Mieke", "in 't", "Veld")),
        ("Henk van den Berg", NameParts("Henk", "van den", "Berg")),
        ("Joost op de Beek", NameParts("Joost", "op de", "Beek")),
        ("Eva van Dijk", NameParts("Eva", "van", "Dijk")),
        ("Anna Maria de Vries", NameParts("Anna Maria", "de", "Vries")),
        ("Eva Bakker", NameParts("Eva", "", "Bakker")),
        ("Madonna", NameParts("", "", "Madonna")),
        ("  Jan   de  Vries  ", NameParts("Jan", "de", "Vries")),
        ("van Dijk", NameParts("", "van", "Dijk")),
        ("Jan van", NameParts("Jan", "", "van")),
        ("", NameParts("", "", "")),
    ],
)
def test_split_name(name, parts):
    assert split_name(name) == parts


@pytest.mark.parametrize(
    ("name", "initial"),
    [
        ("Denise van der Plaat", "p"),
        ("Jan de Vries", "v"),
        ("Sylvia Huis in 't Veld", "h"),
        ("Ans ter Horst", "h"),
        ("Piet van 't Hof", "h"),
        ("Kees 't Hart", "h"),
        ("Henk van den Berg", "b"),
        ("Joost op de Beek", "b"),
        ("Łucja Nowak", "n"),
        ("Madonna", "m"),
    ],
)
def test_sorts_under_the_surname(name, initial):
    assert sort_key(name)[0] == initial


def sorted_names(names):
    return sorted(names, key=sort_key)


def test_a_dutch_list():
    names = [
        "Jan de Vries",
        "Denise van der Plaat",
        "Bram de Vries",
        "Anouk de Vries",
        "Sylvia Huis in 't Veld",
        "Ans ter Horst",
        "Piet van 't Hof",
        "Kees 't Hart",
        "Eva Bakker",
        "Tom Vriesema",
    ]
    assert sorted_names(names) == [
        "Eva Bakker",
        "Kees 't Hart",
        "Piet van 't Hof",
        "Ans ter Horst",
        "Sylvia Huis in 't Veld",
        "Denise van der Plaat",
        "Anouk de Vries",
        "Bram de Vries",
        "Jan de Vries",
        "Tom Vriesema",
    ]


def test_case_and_accents_do_not_change_the_order():
    assert sort_key("ÉVA BAKKER") == sort_key("eva bakker")
    assert sort_key("Łucja Søderhuizen") == sort_key("Lucja Soderhuizen")
    assert sorted_names(["Ole Sorensen", "Anne Søderhuizen", "Piet Smit"]) == [
        "Piet Smit",
        "Anne Søderhuizen",
        "Ole Sorensen",
    ]


def test_extra_spaces_and_a_single_name():
    assert sort_key("  Jan   de  Vries ") == sort_key("Jan de Vries")
    assert sort_key("Cher") < sort_key("Jan de Vries")
    assert sort_key("   ") == ""


def test_the_surname_decides_before_the_first_name():
    """A longer surname with the same start comes after, whatever the first names are (no collation surprise)."""
    assert sort_key("Zoë de Vries") < sort_key("Aad Vriesema")
    assert sort_key("Jan Vries") < sort_key("Jan de Vries")  # then without the tussenvoegsel first
