"""Staff forms: logging in, invitations to an account and setting its password, scanner device tokens."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional

from eventapp.platform.forms import SelectChoice, email_field, name_field
from eventapp.platform.staff.models import Role
from eventapp.platform.staff.services import DEFAULT_DEVICE_DAYS, MAX_DEVICE_DAYS


def strip(value):
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Log in"))


class DeviceTokenForm(FlaskForm):
    name = StringField(
        _l("Device name"),
        filters=[lambda value: value.strip() if value else value],
        validators=[DataRequired(), Length(max=100)],
    )
    # The events' slugs, filled in by the page (this area does not read events); "" is a token without an event.
    event = SelectField(_l("Event"), choices=[SelectChoice("", "")], default="")
    # Only for a token without an event: one for an event lasts until the end of the day after it.
    days = IntegerField(
        _l("Valid for (days), without an event"),
        default=DEFAULT_DEVICE_DAYS,
        validators=[Optional(), NumberRange(min=1, max=MAX_DEVICE_DAYS)],
    )


class InviteForm(FlaskForm):
    """An organiser invites someone to a personal account."""

    email = email_field()
    name = name_field(_l("Name"))
    role = RadioField(
        _l("Role"),
        choices=[
            SelectChoice(Role.DESK.value, _l("Desk staff: scanning and the desk")),
            SelectChoice(Role.ORGANISER.value, _l("Organiser: everything, the back office too")),
        ],
        default=Role.DESK.value,
        validators=[DataRequired(message=_l("Please choose a role."))],
    )


class SetPasswordForm(FlaskForm):
    """The invited person chooses their password (the strength rules of eventapp.platform.staff.services)."""

    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Please fill this in.")), Length(max=200)]
    )
    password_confirm = PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(message=_l("Please fill this in.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )
