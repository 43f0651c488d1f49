"""The feedback form: per attended session a score and a comment (score_<id>, comment_<id>), then the day."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, TextAreaField
from wtforms.validators import Length, Optional

from eventapp.feedback.models import SCORES
from eventapp.feedback.services import Answers
from eventapp.platform.forms import SelectChoice, strip


def score_field(label) -> RadioField:
    return RadioField(label, choices=[SelectChoice(s, str(s)) for s in SCORES], coerce=int, validators=[Optional()])


def comment_field(label) -> TextAreaField:
    return TextAreaField(label, filters=[strip], validators=[Optional(), Length(max=3000)], render_kw={"rows": 3})


class FeedbackForm(FlaskForm):
    day_score = score_field(_l("Your score for the day (1 = poor, 5 = excellent)"))
    different = comment_field(_l("What should we do differently?"))

    def answers(self, sessions) -> Answers:
        return Answers(
            day_score=self.day_score.data,
            different=self.different.data or "",
            sessions={s.id: (self[f"score_{s.id}"].data, self[f"comment_{s.id}"].data or "") for s in sessions},
        )


def feedback_form(sessions, response=None, **kwargs) -> FeedbackForm:
    """The form for these sessions, filled with the person's earlier answers when there are any."""
    fields: dict[str, Field] = {}
    for session in sessions:
        fields[f"score_{session.id}"] = score_field(_l("Your score (1 = poor, 5 = excellent)"))
        fields[f"comment_{session.id}"] = comment_field(_l("Your comment"))
    form = type("SessionsFeedbackForm", (FeedbackForm,), fields)(**kwargs)
    if response is not None and not form.is_submitted():
        form.day_score.data, form.different.data = response.day_score, response.different
        for item in response.sessions:
            if f"score_{item.session_id}" in form:
                form[f"score_{item.session_id}"].data = item.score
                form[f"comment_{item.session_id}"].data = item.comment
    return form
