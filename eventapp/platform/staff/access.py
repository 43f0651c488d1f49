"""Who may do what: staff pages need a login, organiser pages the organiser role; the API also takes device tokens."""

import functools
from dataclasses import dataclass

from flask import abort, current_app, g, jsonify, request
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError

from eventapp.platform.db import utcnow, writing
from eventapp.platform.extensions import csrf, db
from eventapp.platform.staff import services, sessions
from eventapp.platform.staff.models import DeviceToken, User

# A paired browser's device token (eventapp.checkin.pairing): HttpOnly, so no script on the page can read or send it
# elsewhere, and sent by the browser itself to the desk pages and the scan API, which the service worker caches.
DEVICE_COOKIE = "eventapp_device"

login_manager = LoginManager()
login_manager.login_view = "staff.login"
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(secret: str) -> User | None:
    """The cookie names this browser's staff session (eventapp.platform.staff.sessions), not the account's id.

    Ended, idle, or begun before the account's last "log out everywhere": no login. Its last request is
    remembered once a minute, in a transaction of its own (as a device's last use).
    """
    now = utcnow()
    staff_session = sessions.session_for_secret(db.session, secret, now)
    if staff_session is None:
        return None
    g.staff_session_id = staff_session.id
    user = staff_session.user
    if sessions.seen_due(staff_session, now) and not (db.session.new or db.session.dirty):
        db.session.commit()
        with writing():
            sessions.note_seen(db.session, g.staff_session_id, now)
            db.session.commit()
        user.login_secret = secret
    return user


@dataclass(frozen=True)
class Actor:
    """Who does a check-in: a logged-in person or a scanner device, and at which desk."""

    user: User | None
    device: DeviceToken | None
    desk: str

    @property
    def is_organiser(self) -> bool:
        return self.user is not None and self.user.is_organiser

    @property
    def label(self) -> str:
        return self.desk or (self.device.name if self.device else (self.user.name if self.user else ""))


def staff_required(view):
    """Pages for desk staff and organisers; others are sent to the login page."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return wrapped


def organiser_required(view):
    """Pages for organisers only: desk staff get 403, others the login page."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_organiser:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def api_error(status: int, error: str, message: str):
    response = jsonify({"error": error, "message": message})
    response.status_code = status
    return response


def device_from_header(header: str) -> DeviceToken | None:
    """The active device of a Bearer header; its last use is saved at once, in a transaction of its own."""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    now = utcnow()
    device = services.device_for_token(db.session, token.strip(), now)
    if device is not None and services.device_use_due(device, now):
        # A write of its own, which waits its turn: a read (GET counts, search) that turned into a
        # write would fail at once on SQLite while another writer is busy ("database is locked").
        db.session.commit()
        with writing():
            services.note_device_use(db.session, device, now)
            db.session.commit()
    return device


def paired_device() -> DeviceToken | None:
    """The active device whose token this browser holds in its cookie (a browser paired by QR), or None."""
    if "paired_device" not in g:
        token = request.cookies.get(DEVICE_COOKIE, "")
        g.paired_device = device_from_header(f"Bearer {token}") if token else None
    return g.paired_device


def set_device_cookie(response, token: str, device: DeviceToken) -> None:
    """Keep the device's token in this browser until the token itself expires."""
    response.set_cookie(
        DEVICE_COOKIE,
        token,
        expires=device.expires_at,
        path="/",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


def desk_required(view):
    """Desk pages: a staff login, or a browser paired as a desk device; others are sent to the login page."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated and paired_device() is None:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return wrapped


def desk_actor(desk: str) -> Actor:
    """Who acts on a desk page: the logged-in person, else the paired device."""
    if current_user.is_authenticated:
        return Actor(user=current_user._get_current_object(), device=None, desk=desk)
    device = paired_device()
    return Actor(user=None, device=device, desk=desk or (device.name if device else ""))


def api_auth(view):
    """API calls: a device's `Authorization: Bearer <token>`, or a staff login or paired browser with a CSRF token.

    Sets g.actor. Answers 401 without valid credentials (and 400 for a cookie call without CSRF). A paired
    browser's cookie counts after a login: a revoked device token in it gives 401 at the next call.
    """

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        desk = request.headers.get("X-Desk", "")[:100]
        if header:
            device = device_from_header(header)
            if device is None:
                return api_error(401, "unauthorized", "invalid, expired or revoked device token")
            g.actor = Actor(user=None, device=device, desk=desk or device.name)
        elif current_user.is_authenticated or paired_device() is not None:
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                try:
                    csrf.protect()
                except CSRFError as error:
                    return api_error(400, "csrf", error.description)
            g.actor = desk_actor(desk)
        elif request.cookies.get(DEVICE_COOKIE):
            return api_error(401, "unauthorized", "this desk device's token is expired or revoked: log in")
        else:
            return api_error(401, "unauthorized", "log in, or send a device token")
        return view(*args, **kwargs)

    return csrf.exempt(wrapped)
