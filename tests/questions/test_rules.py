"""The rules of questions and answers, without HTTP: required answers, options, "other", the summary, the editor."""

import pytest

from eventapp.events import hosts
from eventapp.questions.models import Question, QuestionKind
from eventapp.questions.rules import (
    Given,
    InvalidAnswer,
    InvalidOptions,
    check_answer,
    option_key,
    options_text,
    parse_options,
)
from eventapp.questions.summary import AnswerRow, summarise

DIET_OPTIONS = [
    {"key": "vegetarian", "nl": "Vegetarisch", "en": "Vegetarian"},
    {"key": "halal", "nl": "Halal", "en": "Halal"},
    {"key": "gluten-free", "nl": "Glutenvrij", "en": "Gluten-free"},
]


def question(kind=QuestionKind.SEVERAL_CHOICES, required=False, allows_other=True, options=DIET_OPTIONS, id=1):
    return Question(
        id=id,
        kind=kind,
        label_nl="Vraag",
        label_en="Question",
        options=options,
        allows_other=allows_other,
        required=required,
        sensitive=True,
    )


@pytest.fixture(autouse=True)
def context(app):
    """Error messages are lazy translations, read in the language of a request."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def test_a_required_question_refuses_an_empty_answer_and_an_optional_one_keeps_nothing():
    for kind in QuestionKind:
        with pytest.raises(InvalidAnswer, match="answer this question"):
            check_answer(question(kind, required=True), Given(text="   "))
        assert check_answer(question(kind), Given(text="  ")).is_empty


def test_several_choices_keep_the_options_in_the_questions_order():
    answer = check_answer(question(), Given(choices=("gluten-free", "vegetarian")))
    assert answer == Given(text="", choices=("vegetarian", "gluten-free"))


@pytest.mark.parametrize("choices", [("pork",), ("vegetarian", "vegetarian "), ("OTHER",)])
def test_an_option_the_question_does_not_offer_is_refused(choices):
    with pytest.raises(InvalidAnswer, match="options given"):
        check_answer(question(), Given(choices=choices))


def test_one_choice_and_yes_no_take_one_option():
    with pytest.raises(InvalidAnswer, match="one option"):
        check_answer(question(QuestionKind.ONE_CHOICE), Given(choices=("halal", "vegetarian")))
    assert check_answer(question(QuestionKind.YES_NO), Given(choices=("yes",))).choices == ("yes",)
    with pytest.raises(InvalidAnswer):
        check_answer(question(QuestionKind.YES_NO), Given(choices=("maybe",)))


def test_other_needs_its_text_and_a_text_without_other_is_dropped():
    with pytest.raises(InvalidAnswer, match="other"):
        check_answer(question(), Given(choices=("other",)))
    kept = check_answer(question(), Given(text=" no pork ", choices=("other", "halal")))
    assert kept == Given(text="no pork", choices=("halal", "other"))
    assert check_answer(question(), Given(text="stray text", choices=("halal",))).text == ""
    with pytest.raises(InvalidAnswer):  # a question without "other" does not take it
        check_answer(question(allows_other=False), Given(text="x", choices=("other",)))


def test_texts_have_a_length_limit():
    check_answer(question(QuestionKind.LONG_TEXT), Given(text="x" * 2000))
    with pytest.raises(InvalidAnswer):
        check_answer(question(QuestionKind.LONG_TEXT), Given(text="x" * 2001))
    with pytest.raises(InvalidAnswer):
        check_answer(question(QuestionKind.SHORT_TEXT), Given(text="x" * 301))


def test_options_from_the_editor_keep_their_keys_when_one_language_is_reworded():
    parsed = parse_options("Vegetarisch | Vegetarian\nHalal\n\nGlutenvrij | Gluten free", [])
    assert [option["key"] for option in parsed] == ["vegetarian", "halal", "gluten-free"]
    assert parsed[1] == {"key": "halal", "nl": "Halal", "en": "Halal"}
    reworded = parse_options("Vegetarisch | Veggie\nHalal", parsed)
    assert reworded[0] == {"key": "vegetarian", "nl": "Vegetarisch", "en": "Veggie"}
    assert parse_options(options_text(parsed), parsed) == parsed
    assert option_key("Nötenallergie!") == "notenallergie"


@pytest.mark.parametrize("lines", ["Halal\nHalal", "Anders | Other", "?!"])
def test_options_that_cannot_be_told_apart_are_refused(lines):
    with pytest.raises(InvalidOptions):
        parse_options(lines, [])


def test_the_summary_counts_every_option_and_lists_the_texts_with_names():
    diet, access = question(id=1), question(QuestionKind.LONG_TEXT, id=2, options=[])
    rows = [
        AnswerRow(1, "Bo", "Ede", "", ["vegetarian", "halal"]),
        AnswerRow(1, "Al", "Epe", "no pork", ["other"]),
        AnswerRow(1, "Cy", "Ede", "", ["vegetarian"]),
        AnswerRow(1, "Di", "Ede", "", ["pescetarian"]),  # an option removed since
        AnswerRow(2, "Zo", "Ede", "wheelchair", []),
        AnswerRow(2, "Em", "Ede", "", []),  # nothing: not counted
    ]
    diet_summary, access_summary = summarise([diet, access], rows)
    assert diet_summary.counts == [
        ("vegetarian", 2),
        ("halal", 1),
        ("gluten-free", 0),
        ("other", 1),
        ("pescetarian", 1),
    ]
    assert diet_summary.answered == 4
    assert [(row.name, row.text) for row in diet_summary.texts] == [("Al", "no pork")]
    assert access_summary.counts == [] and access_summary.answered == 1
    assert [(row.name, row.text) for row in access_summary.texts] == [("Zo", "wheelchair")]


def test_hosts_contacts_and_materials_are_read_line_by_line():
    assert hosts.parse_hosts("Irene Salomons | Gemeente Zwolle | projectleider\nAnn") == [
        {"name": "Irene Salomons", "organisation": "Gemeente Zwolle", "role": "projectleider"},
        {"name": "Ann", "organisation": "", "role": ""},
    ]
    assert hosts.parse_contacts("Teun | EHDK | Teun@Example.org | en") == [
        {"name": "Teun", "organisation": "EHDK", "email": "Teun@example.org", "language": "en"}
    ]
    assert hosts.parse_materials("Slides | https://example.org/s.pdf") == [
        {"title": "Slides", "url": "https://example.org/s.pdf"}
    ]
    for parse, line in [
        (hosts.parse_contacts, "Teun | EHDK | not an address"),
        (hosts.parse_contacts, "Teun | EHDK | teun@example.org | de"),
        (hosts.parse_materials, "Slides | javascript:alert(1)"),
        (hosts.parse_hosts, " | Gemeente"),
    ]:
        with pytest.raises(hosts.LineError):
            parse(line)
