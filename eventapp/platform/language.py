"""The language switch on every page (a blueprint of its own: the i18n helpers are imported everywhere)."""

from flask import Blueprint, abort, redirect, request, session, url_for

from eventapp.platform.settings import settings

bp = Blueprint("language", __name__)


@bp.get("/language/<code>")
def switch(code: str):
    """The language switch on every page: remember the choice and go back to the page."""
    if code not in settings().languages:
        abort(404)
    session["language"] = code
    target = request.args.get("next", "")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = url_for("events.list_events")
    return redirect(target)
