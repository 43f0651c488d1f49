"""The organisers' statements: issue one for a person the desk missed (or again after a revocation), revoke one.

Both from the person's organiser page (people.show_person), both audited by the statements' rules."""

from collections.abc import Callable

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from eventapp.events.models import Event
from eventapp.events.services import get_event_or_404
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.back_office import back_office
from eventapp.registration.models import Registration
from eventapp.registration.queries import get_person_or_404
from eventapp.statements import services as statements

bp = back_office("statements_admin", __name__)


def on_statement(
    event: Event, registration_id: int, action: Callable[[Registration], object], message: str
) -> Response:
    """Do `action` to the person's statement, commit, and go back to their page with `message`."""
    action(get_person_or_404(event, registration_id))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("people.show_person", slug=event.slug, registration_id=registration_id))


@bp.post("/e/<slug>/people/<id:registration_id>/statement/issue")
def issue_statement(slug: str, registration_id: int):
    """Issue a statement of attendance for someone the desk missed (or again, with a new code, after a revocation)."""
    event = get_event_or_404(slug)
    if get_person_or_404(event, registration_id).anonymised_at is not None:
        abort(409)  # erased: there is nobody to name on it
    return on_statement(
        event,
        registration_id,
        lambda r: statements.issue(db.session, r, current_user, utcnow()),
        _("The statement of attendance is issued: the person can download it from their personal page."),
    )


@bp.post("/e/<slug>/people/<id:registration_id>/statement/revoke")
def revoke_statement(slug: str, registration_id: int):
    """Withdraw a person's statement: its code no longer verifies."""
    event = get_event_or_404(slug)
    statement = statements.statement_of(db.session, get_person_or_404(event, registration_id))
    if statement is None or not statement.is_valid:
        abort(404)
    return on_statement(
        event,
        registration_id,
        lambda r: statements.revoke(db.session, statement, current_user, utcnow()),
        _("The statement of attendance is revoked: its code no longer verifies."),
    )
