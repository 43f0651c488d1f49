"""Form fields every area's forms share: names, e-mail addresses, languages; one line, no control characters."""

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField

# SelectChoice is new in wtforms 3.3; types-WTForms, written for 3.2, lacks it. Other modules import it from here.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

LANGUAGE_CHOICES = [SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")]


def strip(value):
    """Leading and trailing spaces are never meant."""
    return value.strip() if isinstance(value, str) else value


def printable(form, field):
    """Refuse line breaks and other control characters (they could forge mail headers)."""
    if field.data and any(unicodedata.category(char).startswith("C") for char in field.data):
        raise ValidationError(_l("Please use letters, digits and punctuation only."))


def name_field(label, required=True):
    # DataRequired looks at the value after stripping: spaces alone are not a name.
    validators = [DataRequired(message=_l("Please fill this in.")) if required else Optional()]
    return StringField(label, filters=[strip], validators=[*validators, Length(max=200), printable])


def email_field() -> StringField:
    """A required e-mail address, checked for its form (not by DNS), one line only."""
    return StringField(
        _l("E-mail address"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Please fill this in.")),
            Length(max=254),
            Email(message=_l("Please enter a valid e-mail address.")),
            printable,
        ],
    )


class ConfirmForm(FlaskForm):
    """A confirmation: a button and its CSRF token (every area's "are you sure?" page)."""
