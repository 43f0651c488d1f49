"""Staff forms: logging in, and the organisers' scanner device tokens."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange

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
    days = IntegerField(
        _l("Valid for (days)"),
        default=DEFAULT_DEVICE_DAYS,
        validators=[DataRequired(), NumberRange(min=1, max=MAX_DEVICE_DAYS)],
    )
