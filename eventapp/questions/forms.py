"""Form fields for the questions (question_<id>, and question_<id>_other for "other, namely"), and the editor."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from eventapp.platform.forms import SelectChoice, name_field, strip
from eventapp.platform.i18n import text_in
from eventapp.questions.models import NO, OTHER, TEXT_KINDS, YES, Question, QuestionKind
from eventapp.questions.rules import Given, InvalidAnswer, InvalidOptions, check_answer, option_label, parse_options

OTHER_SUFFIX = "_other"


def _option_or_none(value):
    """Radio values stay text; no choice stays None (str() would make it "None")."""
    return None if value is None else str(value)


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _checked(question: Question):
    """A validator that applies the question's rules to the field and its "other" text."""

    def validate(form, field):
        other = form._fields.get(question.field_name + OTHER_SUFFIX)
        try:
            check_answer(question, given_for(question, field.data, other.data if other else ""))
        except InvalidAnswer as invalid:
            raise ValidationError(str(invalid.message)) from None

    return validate


def given_for(question: Question, data, other_text: str) -> Given:
    """A field's data as the rules take it."""
    if question.kind in TEXT_KINDS:
        return Given(text=data or "")
    choices = tuple(data or ()) if question.kind == QuestionKind.SEVERAL_CHOICES else ((data,) if data else ())
    return Given(text=other_text or "", choices=choices)


def question_fields(questions: list[Question], language: str) -> dict[str, Field]:
    """Form fields per question, labelled with the question in `language`."""
    fields: dict[str, Field] = {}
    for question in questions:
        label, validators = text_in(question, "label", language), [_checked(question)]
        if not question.required:
            label = _("%(question)s (optional)", question=label)
        field: Field
        if question.kind == QuestionKind.SHORT_TEXT:
            field = StringField(label, filters=[strip], validators=validators)
        elif question.kind == QuestionKind.LONG_TEXT:
            field = TextAreaField(label, filters=[strip], validators=validators)
        else:
            choices = [SelectChoice(key, option_words(question, key, language)) for key in question.option_keys()]
            if question.kind == QuestionKind.SEVERAL_CHOICES:
                field = CheckboxesField(label, choices=choices, validators=validators, validate_choice=False)
            else:
                field = RadioField(
                    label, choices=choices, validators=validators, validate_choice=False, coerce=_option_or_none
                )
        fields[question.field_name] = field
        if question.allows_other and question.has_options:
            fields[question.field_name + OTHER_SUFFIX] = StringField(_l("Other, namely"), filters=[strip])
    return fields


def option_words(question: Question, key: str, language: str) -> str:
    """The words of an option on the form."""
    return option_label(question, key, language, {OTHER: str(_l("Other")), YES: str(_l("Yes")), NO: str(_l("No"))})


def given_answers(form, questions: list[Question]) -> dict[int, Given]:
    """The (validated) answers on a form, checked and cleaned by the rules."""
    answers = {}
    for question in questions:
        field = form._fields.get(question.field_name)
        if field is None:
            continue
        other = form._fields.get(question.field_name + OTHER_SUFFIX)
        answers[question.id] = check_answer(question, given_for(question, field.data, other.data if other else ""))
    return answers


def fill_from(form, answers: dict) -> None:
    """Show a person's kept answers in the question fields of a form that was not posted."""
    for question_id, answer in answers.items():
        field = form._fields.get(f"question_{question_id}")
        if field is None:
            continue
        if answer.question.kind in TEXT_KINDS:
            field.data = answer.text
        elif answer.question.kind == QuestionKind.SEVERAL_CHOICES:
            field.data = list(answer.choices)
        else:
            field.data = answer.choices[0] if answer.choices else None
        other = form._fields.get(f"question_{question_id}{OTHER_SUFFIX}")
        if other is not None:
            other.data = answer.text


class QuestionForm(FlaskForm):
    """The organiser's editor for one question."""

    label_nl = name_field(_l("Question in Dutch"))
    label_en = name_field(_l("Question in English"))
    help_nl = TextAreaField(_l("Help text in Dutch (optional)"), filters=[strip], validators=[Length(max=1000)])
    help_en = TextAreaField(_l("Help text in English (optional)"), filters=[strip], validators=[Length(max=1000)])
    kind = SelectField(_l("Kind of answer"), choices=[SelectChoice(kind.value, kind.label) for kind in QuestionKind])
    options_text = TextAreaField(
        _l("Options, one a line: Dutch | English"), filters=[strip], validators=[Length(max=4000)]
    )
    allows_other = BooleanField(_l('Offer "other", with a text'))
    required = BooleanField(_l("An answer is required"))
    sensitive = BooleanField(_l("Sensitive (health, diet, accessibility): only organisers see the answers"))

    def __init__(self, *args, existing_options=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_options = existing_options or []
        self.options = []

    def validate_options_text(self, field):
        try:
            self.options = parse_options(field.data or "", self.existing_options)
        except InvalidOptions as invalid:
            raise ValidationError(str(invalid.message)) from None
        if self.kind.data in (QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES) and not self.options:
            raise ValidationError(_l("Please give the options, one a line."))

    def data_for_rules(self) -> dict:
        """The question as `add_question` and `change_question` take it."""
        return {
            "kind": QuestionKind(self.kind.data),
            "label_nl": self.label_nl.data,
            "label_en": self.label_en.data,
            "help_nl": self.help_nl.data or "",
            "help_en": self.help_en.data or "",
            "options": self.options,
            "allows_other": self.allows_other.data,
            "required": self.required.data,
            "sensitive": self.sensitive.data,
        }
