"""The person's statement (/r/<token>/attendance.pdf) and its public verification (/verify/<code>)."""

from flask import Blueprint, Response, current_app, render_template
from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _

from eventapp.checkin.attended import is_checked_in
from eventapp.db import utcnow, writes
from eventapp.exports import safe_filename
from eventapp.extensions import db, limiter
from eventapp.i18n import text_in
from eventapp.registration.queries import get_registration_or_404
from eventapp.statements import services
from eventapp.statements.pdf import StatementText, statement_pdf
from eventapp.urls import public_url

bp = Blueprint("statements", __name__)


@bp.app_template_global()
def came_to_the_day(registration) -> bool:
    """For the personal page (a registration template): checked in, so their statement is there already."""
    return is_checked_in(db.session, registration)


@bp.get("/r/<token>/attendance.pdf")
@writes  # a GET that may issue the statement: on SQLite it waits its turn to write, as a POST does
def attendance_pdf(token: str):
    """The statement of a person who came, in their language; otherwise a page that says why there is none."""
    registration = get_registration_or_404(token)
    try:
        statement = services.statement_for(db.session, registration, utcnow())
    except services.NoStatement as refusal:
        db.session.rollback()
        page = render_template("statements/unavailable.html", registration=registration, reason=refusal.reason)
        return page, 403
    db.session.commit()
    language = registration.language
    with force_locale(language):
        body = statement_pdf(statement_text(services.content(db.session, statement), language))
    response = Response(body, mimetype="application/pdf")
    filename = safe_filename(registration.event.slug, "attendance", extension="pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def statement_text(content: services.StatementContent, language: str) -> StatementText:
    """The statement's lines in `language` (the caller forces that locale)."""
    event = content.event
    return StatementText(
        heading=_("Statement of attendance"),
        declaration=_(
            "attended %(title)s on %(date)s in %(venue)s.",
            title=text_in(event, "title", language),
            date=format_date(event.date, "full"),
            venue=text_in(event, "venue", language),
        ),
        name=content.name,
        organisation=content.organisation,
        sessions_heading=_("Sessions attended"),
        sessions=[text_in(session, "title", language) for session in content.sessions],
        hours=hours_text(content.minutes),
        issuer=_("Issued by %(organiser)s.", organiser=current_app.config["ORGANIZER_NAME"]),
        code_label=_("Verification code"),
        code=content.printed_code,
        verify_hint=_("Anyone can check this statement at:"),
        verify_url=public_url("statements.verify", code=content.code),
    )


def hours_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not rest:
        return ngettext("Duration: %(num)d hour.", "Duration: %(num)d hours.", hours)
    return _("Duration: %(hours)d h %(minutes)02d min.", hours=hours, minutes=rest)


@bp.get("/verify/<code>")
@limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"])
def verify(code: str):
    """Public: what a valid statement says, and nothing more; unknown and revoked codes read alike (404)."""
    statement = services.find_valid(db.session, code)
    if statement is None:
        return render_template("statements/verify.html", content=None), 404
    content = services.content(db.session, statement)
    return render_template("statements/verify.html", content=content, hours=hours_text(content.minutes))
