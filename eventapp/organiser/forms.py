"""Organiser forms: the event, its agenda and sessions, people, copies, messages and the mails' own words."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import HiddenInput

from eventapp.events import hosts
from eventapp.platform.forms import SelectChoice, printable, strip
from eventapp.platform.mail.models import TextKind
from eventapp.platform.mail.texts import LANGUAGES, MAX_LENGTH, Words

SLUG = Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", message=_l("Lower-case letters, digits and hyphens, e.g. jeugd-en-veiligheid-7.")
)


def text(label, required=True, max_length=200):
    return StringField(
        label,
        filters=[strip],
        validators=[DataRequired() if required else Optional(), Length(max=max_length), printable],
    )


def long_text(label):
    return TextAreaField(label, filters=[strip], validators=[Optional(), Length(max=5000)])


class EventForm(FlaskForm):
    slug = StringField(_l("Web address"), filters=[strip], validators=[DataRequired(), Length(max=80), SLUG])
    edition = IntegerField(_l("Edition"), validators=[Optional(), NumberRange(min=1, max=1000)])
    title_nl = text(_l("Title (Dutch)"))
    title_en = text(_l("Title (English)"))
    intro_nl = long_text(_l("Introduction (Dutch)"))
    intro_en = long_text(_l("Introduction (English)"))
    date = DateField(_l("Date"), validators=[DataRequired()])
    venue = text(_l("Venue (Dutch)"))
    venue_en = text(_l("Venue (English)"), required=False)
    venue_address = StringField(
        _l("Venue's address"), filters=[strip], validators=[Optional(), Length(max=300), printable]
    )
    contact_email = StringField(
        _l("Contact address for participants"),
        filters=[strip],
        validators=[Optional(), Length(max=254), Email(message=_l("Please enter a valid e-mail address.")), printable],
    )
    capacity = IntegerField(_l("People the day holds"), validators=[DataRequired(), NumberRange(min=0, max=100000)])
    registration_opens_at = DateTimeLocalField(_l("Registration opens"), validators=[DataRequired()])
    registration_closes_at = DateTimeLocalField(_l("Registration closes"), validators=[DataRequired()])


class AgendaItemForm(FlaskForm):
    starts_at = TimeField(_l("Starts"), validators=[DataRequired()])
    ends_at = TimeField(_l("Ends"), validators=[DataRequired()])
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice("plenary", _l("For everyone")),
            SelectChoice("choice", _l("Choice of parallel sessions")),
        ],
    )
    title_nl = text(_l("Title (Dutch)"))
    title_en = text(_l("Title (English)"))


def lines_field(label, parse) -> TextAreaField:
    """A textarea of lines that `parse` reads; a line it cannot read is the field's error."""

    def readable(form, field):
        try:
            parse(field.data or "")
        except hosts.LineError as error:
            raise ValidationError(str(error.message)) from None

    return TextAreaField(label, filters=[strip], validators=[Length(max=5000), readable])


class SessionForm(FlaskForm):
    title_nl = text(_l("Title (Dutch)"))
    title_en = text(_l("Title (English)"))
    description_nl = long_text(_l("Description (Dutch)"))
    description_en = long_text(_l("Description (English)"))
    room = text(_l("Room (Dutch)"), required=False, max_length=100)
    room_en = text(_l("Room (English)"), required=False, max_length=100)
    host_organisation = text(_l("Host"), required=False)
    capacity = IntegerField(_l("Seats"), validators=[DataRequired(), NumberRange(min=0, max=100000)])
    position = IntegerField(_l("Order on the page"), default=0, validators=[Optional(), NumberRange(min=0, max=100)])
    standing_allowed = BooleanField(_l("The door may admit people standing when the seats are taken"))
    hosts_text = lines_field(_l("Hosts, one a line: name | organisation | role"), hosts.parse_hosts)
    contacts_text = lines_field(
        _l("Contact persons of a pilot, one a line: name | organisation | e-mail | nl or en"), hosts.parse_contacts
    )
    materials_text = lines_field(_l("Materials, one a line: title | https://address"), hosts.parse_materials)

    def people_and_links(self) -> hosts.Parsed:
        """The (validated) hosts, contacts and materials."""
        return hosts.Parsed(
            hosts.parse_hosts(self.hosts_text.data or ""),
            hosts.parse_contacts(self.contacts_text.data or ""),
            hosts.parse_materials(self.materials_text.data or ""),
        )


class CopyEventForm(FlaskForm):
    slug = StringField(
        _l("Address of the new edition"), filters=[strip], validators=[DataRequired(), Length(max=80), SLUG]
    )
    date = DateField(_l("Date of the new edition"), validators=[DataRequired()])


class MoveForm(FlaskForm):
    session_id = RadioField(_l("Session"), coerce=int, validators=[DataRequired()])
    over_capacity = BooleanField(_l("Yes, put them in even though the session is full"))


class ErasePersonForm(FlaskForm):
    remove_newsletter = BooleanField(_l("Also remove their newsletter subscription"), default=True)


class MessageForm(FlaskForm):
    audience = SelectField(_l("To"))
    subject = text(_l("Subject"))
    body = TextAreaField(
        _l("Message"), filters=[strip], validators=[DataRequired(), Length(max=5000)], render_kw={"rows": 10}
    )
    # What the preview showed: sending asks for the same count and text (see services.message_fingerprint).
    recipients = IntegerField(widget=HiddenInput(), validators=[Optional()])
    previewed = HiddenField()


TEXT_LABELS = {
    ("opening", "nl"): _l("Opening words in Dutch"),
    ("closing", "nl"): _l("Closing words in Dutch"),
    ("opening", "en"): _l("Opening words in English"),
    ("closing", "en"): _l("Closing words in English"),
}


class MailTextsForm(FlaskForm):
    """An opening and a closing per kind of mail and language (fields `opening_<kind>_<language>`), and which
    mail the preview and the test show."""

    show = SelectField(_l("Mail to preview or send as a test"))

    def field_of(self, part: str, kind: str, language: str):
        return self[f"{part}_{kind}_{language}"]

    def words(self) -> dict[tuple[str, str], Words]:
        """What was typed, by (kind, language)."""
        return {
            (str(kind), language): Words(
                self.field_of("opening", kind, language).data or "", self.field_of("closing", kind, language).data or ""
            )
            for kind in TextKind
            for language in LANGUAGES
        }

    def fill(self, saved: dict[tuple[str, str], Words]) -> None:
        for (kind, language), words in saved.items():
            self.field_of("opening", kind, language).data = words.opening
            self.field_of("closing", kind, language).data = words.closing


for _kind in TextKind:
    for _language in LANGUAGES:
        for _part in ("opening", "closing"):
            setattr(
                MailTextsForm,
                f"{_part}_{_kind}_{_language}",
                TextAreaField(
                    TEXT_LABELS[_part, _language],
                    filters=[strip],
                    validators=[Optional(), Length(max=MAX_LENGTH)],
                    render_kw={"rows": 3},
                ),
            )
