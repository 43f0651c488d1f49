"""The desk as an installable web app: its manifest, its service worker, and the "not arrived yet" list.

The service worker lives at /staff/checkin/sw.js, and a worker may only control pages at or below its own
folder unless the server allows more: the Service-Worker-Allowed header lets it control /staff/checkin
itself (the scan page) and everything under it.
"""

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from eventapp.checkin import desk_search, expected, lookups, present, search_guard, services, telling_apart
from eventapp.checkin.device import desk_name, paired_event_slug
from eventapp.checkin.models import ScanStatus
from eventapp.events.models import Event
from eventapp.events.services import get_event_or_404, today_local
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.access import desk_actor, desk_required
from eventapp.registration.models import Registration

bp = Blueprint("desk", __name__, url_prefix="/staff/checkin")


def chosen_event() -> Event:
    """The event named in the address, or the current one (404 when there is none)."""
    slug = paired_event_slug() or request.args.get("event")
    if not slug:
        current = lookups.current_event(db.session, today_local())
        if current is None:
            abort(404)
        slug = current.slug
    return get_event_or_404(slug)


@bp.get("/sw.js")
def service_worker():
    """The desk's service worker (no personal data in it, so no login needed to fetch it)."""
    if current_app.static_folder is None:
        raise RuntimeError("the app is made without its static folder")
    script = (Path(current_app.static_folder) / "js" / "desk-sw.js").read_bytes()
    headers = {
        "Service-Worker-Allowed": url_for("checkin.scan_page"),
        "Cache-Control": "no-cache",  # a new version reaches the desks at their next load
    }
    return Response(script, mimetype="text/javascript", headers=headers)


@bp.get("/manifest.webmanifest")
def manifest():
    """What a tablet needs to install the desk as an app (fetched without cookies, so public)."""
    scope = url_for("checkin.scan_page")
    icons = [
        {"src": url_for("static", filename=f"icons/desk-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    body = {
        "id": scope,
        "name": _("Check-in desk · Youth and Safety"),
        "short_name": _("Check-in"),
        "lang": str(get_locale()),
        "start_url": scope,
        "scope": scope,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#16425b",
        "icons": icons,
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/csrf.json")
@desk_required
def csrf_token():
    """A fresh CSRF token for a scan page that was opened from the cache (its own token may be stale)."""
    response = jsonify({"csrf": generate_csrf()})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/not-arrived")
@desk_required
def not_arrived():
    """Expected today, not checked in yet: searchable, each with a one-tap check-in."""
    event = chosen_event()
    query = request.args.get("q", "")[:200]
    actor = desk_actor(desk_name())
    try:
        search_guard.allow_search(event, actor)  # the list is a search too: the day only, at a person's pace
    except (desk_search.NotOnTheDay, desk_search.TooManySearches) as refusal:
        status, headers = 403, {}
        if isinstance(refusal, desk_search.TooManySearches):
            status, headers = 429, {"Retry-After": str(refusal.retry_after)}
        page = render_template(
            "checkin/not_arrived.html", event=event, rows=[], query=query, refused=search_guard.refusal_text(refusal)
        )
        return page, status, headers
    people = expected.not_arrived(db.session, event, query)
    rows = present.desk_rows(people, telling_apart.same_name_counts(db.session, event))
    return render_template("checkin/not_arrived.html", event=event, rows=rows, query=query)


@bp.post("/not-arrived/<id:registration_id>")
@desk_required
def check_in_expected(registration_id: int):
    """Check in one person from the list; the answer is a message above the list."""
    event = chosen_event()
    registration = db.session.get(Registration, registration_id)
    actor = desk_actor(desk_name())
    outcome = services.check_in(db.session, event, registration, actor, utcnow())
    name = registration.name if registration is not None else ""
    if outcome.status == ScanStatus.OK:
        flash(_("%(name)s is checked in.", name=name), "success")
    elif outcome.status == ScanStatus.ALREADY_CHECKED_IN:
        flash(_("%(name)s was already checked in.", name=name), "info")
    else:
        flash(present.message(outcome, event), "error")
    db.session.commit()
    return redirect(url_for(".not_arrived", event=event.slug, q=request.form.get("q") or None))
