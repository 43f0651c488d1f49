"""Forms of the registration area: register, change a session, update details, cancel."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from eventapp.platform.forms import LANGUAGE_CHOICES, SelectChoice, email_field, name_field, strip
from eventapp.platform.i18n import localized
from eventapp.questions.forms import question_fields
from eventapp.registration.models import OrganisationType
from eventapp.registration.preferences import RANKS
from eventapp.registration.services import PersonDetails


def organisation_type_choices() -> list[SelectChoice]:
    """An empty first option (the select starts unchosen), then the kinds in the reader's language."""
    return [SelectChoice("", _l("Choose…")), *(SelectChoice(kind.value, kind.label) for kind in OrganisationType)]


def validated_text(field: StringField) -> str:
    """A required field's value once its form is validated (DataRequired: never None then)."""
    if field.data is None:
        raise ValueError(f"{field.name} is read before its form was validated")
    return field.data


class DetailsForm(FlaskForm):
    """What a person can change about themselves on their own page."""

    name = name_field(_l("Name"))
    organisation = name_field(_l("Organisation"))
    organisation_type = SelectField(
        _l("Kind of organisation"),
        choices=organisation_type_choices,
        validators=[DataRequired(message=_l("Please choose the kind of organisation."))],
    )
    role = name_field(_l("Role or position (optional)"), required=False)
    language = SelectField(_l("Language for mails"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Save my details"))

    def person(self, email: str = "") -> PersonDetails:
        """The person's details as the rules take them."""
        return PersonDetails(
            name=self.name.data,
            email=email,
            organisation=self.organisation.data,
            role=self.role.data or "",
            language=self.language.data,
            organisation_type=self.organisation_type.data,
        )


class RegistrationForm(DetailsForm):
    """The registration form; a radio field per choice slot is added by `registration_form`."""

    email = email_field()
    consent = BooleanField(validators=[InputRequired(message=_l("We can only register you with your consent."))])
    newsletter = BooleanField(_l("Yes, send me the program's newsletter (you can unsubscribe at any time)."))
    submit = SubmitField(_l("Register"))

    def person(self, email: str = "") -> PersonDetails:
        """The person's details as the rules take them, with the address they gave."""
        return super().person(validated_text(self.email))

    def validate(self, extra_validators=None) -> bool:
        valid = validate_no_session_twice(self, extra_validators)
        for slot_id, second in self.second_ids().items():
            if second is not None and second == self.session_ids().get(slot_id):
                self[f"second_{slot_id}"].errors.append(_l("This is your first choice already."))
                valid = False
        return valid

    def session_ids(self) -> dict[int, int]:
        """slot id -> chosen session id (empty in preference mode)."""
        return _by_slot(self, "choice_")

    def second_ids(self) -> dict[int, int | None]:
        """slot id -> the second choice, None where the person gave none (first-come mode, fallbacks.py)."""
        return _by_slot(self, "second_")

    def ranking(self) -> dict[int, list[int | None]]:
        """slot id -> ranked session ids, first choice first (empty in first-come mode)."""
        return ranking_data(self)


def session_choices(slot) -> list[SelectChoice]:
    """The sessions of a slot as radio options (the template shows their titles and seats)."""
    return [SelectChoice(session.id) for session in slot.sessions]


def slot_field(slot) -> RadioField:
    """A required radio group with the sessions of one choice slot."""
    return RadioField(
        choices=session_choices(slot),
        coerce=int,
        validators=[InputRequired(message=_l("Please choose a session."))],
    )


def _by_slot(form, prefix: str) -> dict:
    return {
        int(name.removeprefix(prefix)): field.data for name, field in form._fields.items() if name.startswith(prefix)
    }


def second_field(slot) -> SelectField:
    """An optional select: the session to sit in when the first choice of the slot is full."""
    choices = [
        SelectChoice("", _l("No second choice")),
        *(SelectChoice(s.id, localized(s, "title")) for s in slot.sessions),
    ]
    label = gettext("Second choice for %(part)s (optional)", part=localized(slot, "title"))
    return SelectField(label, choices=choices, coerce=optional_int)


def registration_form(
    slots, questions=(), question_language="nl", ranked: bool = False, seconds: bool = False, **kwargs
) -> RegistrationForm:
    """A registration form with one radio group per choice slot (choice_<slot id>) and, with `seconds`, an optional
    second choice (second_<slot id>); or, when the event collects preferences (`ranked`), three selects per slot
    (rank_<slot id>_<n>).

    The organiser's questions add their fields too (question_<id>, question_<id>_other: see eventapp.questions).
    """
    if ranked:
        fields = rank_fields(slots)
    else:
        fields = {f"choice_{slot.id}": slot_field(slot) for slot in slots}
        fields.update({f"second_{slot.id}": second_field(slot) for slot in slots if seconds})
    fields.update(question_fields(list(questions), question_language))
    return type("EventRegistrationForm", (RegistrationForm,), fields)(**kwargs)


RANK_LABELS = {1: _l("First choice"), 2: _l("Second choice (optional)"), 3: _l("Third choice (optional)")}


def optional_int(value):
    return int(value) if value not in (None, "", "None") else None


def rank_fields(slots) -> dict:
    """rank_<slot id>_<n> for n = 1, 2, 3: a select of the slot's sessions; the first is required."""
    fields = {}
    for slot in slots:
        choices = [SelectChoice("", _l("Choose…")), *(SelectChoice(s.id, localized(s, "title")) for s in slot.sessions)]
        for n in RANKS:
            validators = [DataRequired(message=_l("Please choose your first choice."))] if n == 1 else []
            fields[f"rank_{slot.id}_{n}"] = SelectField(
                RANK_LABELS[n], choices=choices, coerce=optional_int, validators=validators
            )
    return fields


def ranking_data(form) -> dict[int, list[int | None]]:
    """slot id -> the ranked session ids of a form with rank_<slot id>_<n> fields."""
    ranking: dict[int, list[int | None]] = {}
    for name, field in form._fields.items():
        if name.startswith("rank_"):
            slot_id, _n = name.removeprefix("rank_").split("_")
            ranking.setdefault(int(slot_id), []).append(field.data)
    return ranking


def validate_no_session_twice(form, extra_validators=None) -> bool:
    """The form's own checks, then: no session ranked twice in a slot (the error sits on the later rank)."""
    valid = FlaskForm.validate(form, extra_validators)
    for slot_id, sessions in ranking_data(form).items():
        seen = set()
        for n, session_id in enumerate(sessions, start=1):
            if session_id is not None and session_id in seen:
                form[f"rank_{slot_id}_{n}"].errors.append(_l("You chose this session already."))
                valid = False
            seen.add(session_id)
    return valid


class RankingForm(FlaskForm):
    """A person's ranking on their own page; rank_<slot id>_<n> fields are added by `ranking_form`."""

    submit = SubmitField(_l("Save my ranking"))

    def ranking(self) -> dict[int, list[int | None]]:
        return ranking_data(self)

    def validate(self, extra_validators=None) -> bool:
        return validate_no_session_twice(self, extra_validators)


def ranking_form(slots, **kwargs) -> RankingForm:
    return type("EventRankingForm", (RankingForm,), rank_fields(slots))(**kwargs)


def answers_form(questions, language: str, **kwargs) -> FlaskForm:
    """The questions alone, for the personal page (answers can be changed there)."""
    fields = question_fields(list(questions), language)
    fields["submit"] = SubmitField(_l("Save my answers"))
    return type("AnswersForm", (FlaskForm,), fields)(**kwargs)


class ChangeSessionForm(FlaskForm):
    """Pick another session in one slot (the choices are set per slot by the view)."""

    session_id = RadioField(coerce=int, validators=[InputRequired(message=_l("Please choose a session."))])
    join_waitlist = HiddenField(default="")
    submit = SubmitField(_l("Change session"))


class ContactForm(FlaskForm):
    """'Contact me about this pilot': an optional note, and the consent to hand over name, organisation and address."""

    note = TextAreaField(_l("A note for the contact person (optional)"), filters=[strip], validators=[Length(max=500)])
    consent = BooleanField(validators=[InputRequired(message=_l("Tick the box to agree that we pass this on."))])


class CancelForm(FlaskForm):
    """Cancel, with a box to tick so that nobody cancels by a slip."""

    confirm = BooleanField(
        _l("Yes, cancel my registration"), validators=[InputRequired(message=_l("Tick the box to confirm."))]
    )
    submit = SubmitField(_l("Cancel my registration"))


class EraseForm(FlaskForm):
    """Erase the registration and the personal details kept with it."""

    confirm_erase = BooleanField(
        _l("Yes, erase my registration and my details"),
        validators=[InputRequired(message=_l("Tick the box to confirm."))],
    )
    remove_newsletter = BooleanField(_l("Also remove my newsletter subscription"), default=True)


class TransferForm(FlaskForm):
    """The colleague who goes instead: their name, organisation, kind of organisation, address and language."""

    name = name_field(_l("Your colleague's name"))
    organisation = name_field(_l("Organisation"))
    organisation_type = SelectField(
        _l("Kind of organisation"),
        choices=organisation_type_choices,
        validators=[DataRequired(message=_l("Please choose the kind of organisation."))],
    )
    email = email_field()
    language = SelectField(_l("Language for mails"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Give my place to this colleague"))

    def person(self) -> PersonDetails:
        return PersonDetails(
            name=self.name.data,
            email=validated_text(self.email),
            organisation=self.organisation.data,
            language=self.language.data,
            organisation_type=self.organisation_type.data,
        )
