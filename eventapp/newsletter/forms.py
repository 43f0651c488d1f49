"""The newsletter sign-up form (with a field only robots fill in) and the organiser's newsletter form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from eventapp.platform.forms import LANGUAGE_CHOICES, email_field, name_field, printable, strip


class SignUpForm(FlaskForm):
    """Without a CSRF token: a forged sign-up only sends the confirmation mail anyone can ask for (double
    opt-in), and without one every public page is the same for every visitor, sets no cookie and can be cached.
    """

    class Meta:
        csrf = False

    email = email_field()
    name = name_field(_l("Name (optional)"), required=False)
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    consent = BooleanField(
        _l("Yes, send me the newsletter. I can unsubscribe at any time."),
        validators=[DataRequired(message=_l("Tick the box to subscribe."))],
    )
    source = HiddenField(default="form", validators=[AnyOf(["form", "footer"])])  # proof of consent: which form
    # Hidden from people (CSS and aria-hidden); robots fill in every field they find.
    website = StringField(_l("Leave this empty"), validators=[Optional(), Length(max=200)])


class NewsletterForm(FlaskForm):
    subject = StringField(_l("Subject"), filters=[strip], validators=[DataRequired(), Length(max=200), printable])
    body = TextAreaField(_l("Text"), filters=[strip], validators=[DataRequired(), Length(max=20000)])
    # Ticked to send; the label names the count (views.manage). Preview and test buttons need no tick.
    confirm = BooleanField(_l("Send it to every confirmed subscriber now"))
