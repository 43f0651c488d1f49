"""The request side of desk search (eventapp.checkin.desk_search): who is searching, and the refusals they get.

The API answers a refusal in JSON (403 or 429 with Retry-After, `{"error": ...}`); the "not arrived yet" page
answers it as a message on the page, in the reader's language.
"""

from flask import abort, g
from flask_babel import gettext as _

from eventapp.checkin import desk_search
from eventapp.checkin.desk_search import Searcher
from eventapp.events.models import Event
from eventapp.platform.db import utcnow, writing
from eventapp.platform.extensions import db, limiter
from eventapp.platform.settings import settings
from eventapp.platform.staff.access import Actor


def searcher_of(actor: Actor) -> Searcher:
    """A device token counts as its device; a logged-in browser as its own staff session (one tablet)."""
    if actor.device is not None:
        return Searcher(device_key=f"device:{actor.device.id}", user=None, label=actor.label)
    if actor.user is None:  # the desk's pages and API let in a device or a staff login, nobody else
        abort(401)
    return Searcher(
        device_key=f"browser:{g.get('staff_session_id') or actor.user.id}", user=actor.user, label=actor.label
    )


def limits() -> desk_search.SearchLimits:
    config = settings()
    return desk_search.search_limits(
        limiter.storage,
        config.desk_search_rate_limit,
        config.desk_search_account_rate_limit,
        config.desk_search_audit_every,
    )


def allow_search(event: Event, actor: Actor) -> None:
    """Raise NotOnTheDay or TooManySearches, else count the search (and audit a finished batch of them)."""
    searcher, now = searcher_of(actor), utcnow()
    desk_search.check_phase(event, searcher, now)
    if not limiter.enabled:  # EVENTAPP_RATELIMIT_ENABLED=false: no storage to count in (nor the bulk audit)
        return
    search_limits = limits()
    desk_search.count_search(search_limits, searcher, now)
    today = desk_search.batch_closed(search_limits, event, searcher)
    if today is not None:
        # A search is a read; its audit entry a write of its own, which waits its turn (as a device's last use).
        event_id = event.id
        db.session.commit()
        with writing():
            desk_search.audit_batch(db.session, search_limits, db.get_or_404(Event, event_id), searcher, today)
            db.session.commit()


def refusal_text(refusal: Exception) -> str:
    """What the page says to a refused search."""
    if isinstance(refusal, desk_search.TooManySearches):
        return _(
            "Too many searches from this desk: wait %(seconds)d seconds and search again.", seconds=refusal.retry_after
        )
    return _("Searching people works at the desk on the day of the event only (organisers may try it before).")


def refusal_json(refusal: Exception) -> tuple[dict, int, dict]:
    """The API's refusal: body, status and headers."""
    if isinstance(refusal, desk_search.TooManySearches):
        body = {
            "error": "rate_limited",
            "message": "too many searches from this desk",
            "retry_after": refusal.retry_after,
        }
        return body, 429, {"Retry-After": str(refusal.retry_after)}
    return {"error": "not_on_the_day", "message": "search works for the day's event on its day"}, 403, {}
