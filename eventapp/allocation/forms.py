"""The allocation's organiser form: how the event hands out session seats."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, RadioField
from wtforms.validators import DataRequired, Optional


class AllocationModeForm(FlaskForm):
    """How the event hands out session seats; preference mode with its deadline (in the event's time zone)."""

    mode = RadioField(_l("Session seats"), validators=[DataRequired()])
    deadline = DateTimeLocalField(_l("Ranking deadline (preference mode)"), validators=[Optional()])
