"""The person's statement (/r/<token>/attendance.pdf) and its public verification (/verify/<code>)."""

from flask import Blueprint, Response, jsonify, make_response, render_template, request
from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _

from eventapp.checkin.attended import is_checked_in
from eventapp.platform.db import utcnow, writes
from eventapp.platform.exports import safe_filename
from eventapp.platform.extensions import db, limiter
from eventapp.platform.i18n import LONG_DATE
from eventapp.platform.settings import settings
from eventapp.platform.urls import public_url
from eventapp.registration.queries import get_registration_or_404
from eventapp.statements import services
from eventapp.statements.pdf import StatementText, statement_pdf

bp = Blueprint("statements", __name__)
VERIFY_ENDPOINTS = ("statements.verify", "statements.verify_json")


@bp.after_request
def verification_never_stored(response: Response) -> Response:
    """Every answer about a code, also the rate limit's 429 and an outage's 503: a cache would answer for it later."""
    if request.endpoint in VERIFY_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
    return response


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
    return StatementText(
        heading=_("Statement of attendance"),
        declaration=_(
            "attended %(title)s on %(date)s in %(venue)s.",
            title=content.title_in(language),
            date=format_date(content.date, LONG_DATE),
            venue=content.venue_in(language),
        ),
        name=content.name,
        organisation=content.organisation,
        sessions_heading=_("Sessions attended"),
        sessions=content.sessions_in(language),
        hours=hours_text(content.minutes),
        issuer=_("Issued by %(organiser)s.", organiser=settings().organizer_name),
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


@bp.get("/verify/<code>.json")
@limiter.limit(lambda: settings().verify_rate_limit)
@writes  # a statement issued before snapshots were kept is frozen when first shown
def verify_json(code: str):
    """Public, for machines: what the statement says as issued; 404 for an unknown code."""
    verification = services.verify_code(db.session, code)
    if verification is None:
        return not_stored(jsonify(error="unknown code")), 404
    body = verification_json(verification)
    db.session.commit()
    return not_stored(jsonify(body)), 200


def verification_json(verification: services.Verification) -> dict:
    """The keys of /verify/<code>.json; a statement no longer valid says nothing about anyone, only whether it
    was replaced or revoked (by an organiser, or because its check-in was undone)."""
    if verification.statement is None:
        empty = {"name": "", "organisation": "", "event": "", "date": "", "sessions": [], "hours": 0.0}
        reasons = {"replaced": verification.replaced, "revoked": verification.revoked}
        return {"valid": False, **empty, "issued_at": None, **reasons}
    content = services.content(db.session, verification.statement)
    return {
        "valid": True,
        "name": content.name,
        "organisation": content.organisation,
        "event": content.title_in(content.language),
        "date": content.date.isoformat(),
        "sessions": content.sessions_in(content.language),
        "hours": content.hours,
        "issued_at": content.issued_at.isoformat(),
        "replaced": False,
        "revoked": False,
    }


@bp.get("/verify/<code>")
@limiter.limit(lambda: settings().verify_rate_limit)
@writes  # a statement issued before snapshots were kept is frozen when first shown
def verify(code: str):
    """Public: what a valid statement says as issued, and nothing more; other codes are not valid (404): a
    replaced or revoked one says so, naming no one."""
    verification = services.verify_code(db.session, code) or services.Verification()
    if verification.statement is None:
        page = render_template(
            "statements/verify.html", content=None, replaced=verification.replaced, revoked=verification.revoked
        )
        return not_stored(page), 404
    content = services.content(db.session, verification.statement)
    db.session.commit()
    page = render_template("statements/verify.html", content=content, hours=hours_text(content.minutes))
    return not_stored(page), 200


def not_stored(body) -> Response:
    """What a statement says can be revoked or replaced: no cache keeps an old answer."""
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response
