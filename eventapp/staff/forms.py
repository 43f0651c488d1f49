"""Staff forms: logging in, and the organisers' scanner device tokens."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from eventapp.staff.services import DEFAULT_DEVICE_DAYS, MAX_DEVICE_DAYS


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
