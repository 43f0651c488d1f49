"""The check-in API, used by the scan page (staff login + CSRF) and by scanner devices (bearer token)."""

import datetime as dt

from flask import Blueprint, current_app, g, jsonify, request
from sqlalchemy.orm import joinedload

from eventapp.checkin import desk_search, faults, lookups, offline, present, search_guard, services, telling_apart
from eventapp.checkin.models import ScanMode
from eventapp.events.models import Event, Session
from eventapp.events.services import today_local
from eventapp.platform.db import is_database_id, storable_text, utcnow
from eventapp.platform.extensions import db, limiter
from eventapp.platform.settings import settings
from eventapp.platform.staff.access import api_auth, api_error, paired_device
from eventapp.registration.models import Registration

bp = Blueprint("checkin_api", __name__, url_prefix="/api/v1/checkin")
bp.before_request(faults.injected_fault)


class BadRequest(ValueError):
    """The body or query is not what the API takes."""


class WrongEvent(Exception):
    """A device token made for one event, used at another."""


@bp.errorhandler(WrongEvent)
def wrong_event(_error: WrongEvent):
    return api_error(403, "forbidden", "this device token is for another event")


@bp.errorhandler(BadRequest)
def bad_request(error: BadRequest):
    return api_error(400, "bad_request", str(error))


def chosen_event() -> Event:
    """The event named by `event` (a slug), or the current one; a device token for an event scans only there."""
    slug = request.args.get("event") or (optional_string(g.body, "event", 80) if g.get("body") else None) or ""
    slug = slug.strip()
    device = g.actor.device
    if not slug and device is not None and device.event_id is not None:
        paired = db.session.get(Event, device.event_id)
        if paired is None:
            raise BadRequest("no such event")
        slug = paired.slug
    if slug:
        # With its agenda, which every answer about a person's sessions reads.
        event = (
            db.session.scalars(db.select(Event).where(Event.slug == slug).options(joinedload(Event.agenda_items)))
            .unique()
            .first()
        )
    else:
        event = lookups.current_event(db.session, today_local())
    if event is None:
        raise BadRequest("no such event")
    if device is not None and device.event_id is not None and device.event_id != event.id:
        raise WrongEvent()
    return event


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("send a JSON object")
    g.body = body
    return body


def optional_string(body: dict, key: str, max_length: int) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > max_length or not storable_text(value):
        raise BadRequest(f"{key} must be a string of at most {max_length} characters")
    return value


def scanned_at(body: dict, now: dt.datetime) -> dt.datetime | None:
    """When an offline scan happened (ISO 8601 with a zone).

    A few hours ahead is a device's clock running fast: taken as now. Further ahead, or longer ago
    than an offline queue can plausibly hold scans, is not a believable scan time: refused, so it
    cannot skew the figures (and year 1 or 9999 cannot overflow when converted to UTC).
    """
    text = optional_string(body, "scanned_at", 40)
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise BadRequest("scanned_at must be an ISO 8601 time") from error
    if moment.tzinfo is None:
        raise BadRequest("scanned_at needs a time zone")
    try:
        moment = moment.astimezone(dt.UTC)
    except OverflowError as error:
        raise BadRequest("scanned_at is not a believable scan time") from error
    if not now - services.OFFLINE_SCANS_KEPT <= moment <= now + services.CLOCK_SKEW:
        raise BadRequest("scanned_at is not a believable scan time")
    return min(moment, now)


def scanned_registration(body: dict) -> Registration | None:
    """The registration named by `code` (what the QR holds) or, for logged-in staff, `registration_id`.

    A code of any length is taken: whatever the scanner read that is not one of ours is "invalid"
    (the red card at the desk), not a malformed request. The request size limit bounds it.
    """
    code = body.get("code")
    if code is not None:
        if not isinstance(code, str):
            raise BadRequest("send the scanned code as `code`, a string")
        return lookups.find_by_code(db.session, code)
    registration_id = body.get("registration_id")
    # By id from the desk's search: staff, and a browser paired as a desk; not a scanner app (it sends codes).
    by_person = g.actor.user is not None or (g.actor.device is not None and g.actor.device is paired_device())
    if isinstance(registration_id, int) and not isinstance(registration_id, bool) and by_person:
        return db.session.get(Registration, registration_id) if is_database_id(registration_id) else None
    raise BadRequest("send the scanned code as `code`")


@bp.post("")
@limiter.limit(lambda: settings().checkin_rate_limit)
@api_auth
def scan():
    """One scan at the day's desk, or (mode "session") at a session's door; on another day "not_today", or with
    `"test": true` before the day a test scan that never counts."""
    body = json_body()
    now = utcnow()
    event = chosen_event()
    registration = scanned_registration(body)
    scan_id = optional_string(body, "scan_id", 64)
    moment = scanned_at(body, now)
    mode = body.get("mode", ScanMode.ENTRY)
    test = body.get("test") is True  # before the day: the desk confirmed a test scan (checkin/test_scans.py)
    if mode == ScanMode.ENTRY:
        outcome = services.check_in(db.session, event, registration, g.actor, now, moment, scan_id, test)
        occupancy = None
    elif mode == ScanMode.DOOR:
        session = door_session(body, event)
        outcome = services.admit_to_session(
            db.session,
            event,
            session,
            registration,
            g.actor,
            now,
            body.get("admit_anyway") is True,
            moment,
            scan_id,
            over_capacity=body.get("over_capacity") is True,  # only an explicit true, after the second confirmation
            test=test,
        )
        occupancy = lookups.occupancy(db.session, session)
    else:
        raise BadRequest("mode must be 'entry' or 'session'")
    # The answer is built before the commit, which would expire every object it reads.
    answer = jsonify(present.outcome_json(outcome, event, occupancy))
    db.session.commit()
    return answer


def door_session(body: dict, event: Event) -> Session:
    session_id = body.get("session_id")
    session = db.session.get(Session, session_id) if is_database_id(session_id) else None
    if session is None or session.agenda_item.event_id != event.id:
        raise BadRequest("session_id must name a session of this event")
    return session


@bp.post("/undo")
@api_auth
def undo():
    """Take back a check-in: organisers, or the same desk within a few minutes."""
    body = json_body()
    event = chosen_event()
    registration = scanned_registration(body)
    if registration is None or registration.event_id != event.id:
        return api_error(404, "not_found", "no such registration at this event")
    window = dt.timedelta(minutes=settings().checkin_undo_minutes)
    try:
        services.undo_check_in(db.session, registration, g.actor, utcnow(), window)
    except services.NotCheckedIn:
        return api_error(409, "not_checked_in", "this person is not checked in")
    except services.UndoNotAllowed:
        return api_error(403, "forbidden", "only an organiser, or the same desk within a few minutes, can undo")
    db.session.commit()
    return jsonify({"status": "undone", "person": present.person_json(registration)})


@bp.get("/search")
@api_auth
def search():
    """People by name, e-mail or organisation (any case, accents or not, parts of words).

    Only on the event's day (organisers: also before it), at a person's pace, audited in bulk (checkin/desk_search.py).
    """
    event = chosen_event()
    try:
        search_guard.allow_search(event, g.actor)
    except (desk_search.NotOnTheDay, desk_search.TooManySearches) as refusal:
        body, status, headers = search_guard.refusal_json(refusal)
        return jsonify(body), status, headers
    people = lookups.search_people(db.session, event, request.args.get("q", ""))
    same_names = telling_apart.same_name_counts(db.session, event)
    return jsonify({"results": present.search_json(people, lookups.arrivals(db.session, people), event, same_names)})


@bp.get("/counts")
@api_auth
def counts():
    """Checked in against expected, for the day and per session."""
    return jsonify(present.counts_json(lookups.counts(db.session, chosen_event())))


@bp.get("/offline")
@api_auth
def offline_list():
    """The event's valid codes as salted hashes, for scanning while the network is gone."""
    event = chosen_event()
    body = offline.offline_list(db.session, event, current_app.config["SECRET_KEY"])
    response = jsonify({"event": event.slug, "algorithm": "SHA-256(salt:code)", **body})
    response.headers["Cache-Control"] = "no-store"
    return response
