"""The offline code list: a desk that loses the network checks codes against salted hashes of them."""

import hashlib
import hmac

from sqlalchemy import select

from eventapp.checkin.models import CheckIn
from eventapp.events.models import Event
from eventapp.platform.db import DbSession
from eventapp.registration.models import Registration, RegistrationStatus


def code_digest(salt: str, code: str) -> str:
    """How the offline list names a ticket code: SHA-256 of salt and code, never the code itself."""
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def offline_salt(secret_key: str, event: Event) -> str:
    """A per-event salt only the server can make."""
    return hmac.new(secret_key.encode(), f"offline-codes:{event.slug}".encode(), hashlib.sha256).hexdigest()[:32]


def offline_list(db_session: DbSession, event: Event, secret_key: str) -> dict:
    """The valid codes of the event as salted hashes, and which of them are already in (for offline scanning)."""
    salt = offline_salt(secret_key, event)
    rows = db_session.execute(
        select(Registration.ticket_code, CheckIn.id)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
    ).all()
    return {
        "salt": salt,
        "valid": sorted(code_digest(salt, code) for code, _ in rows),
        "checked_in": sorted(code_digest(salt, code) for code, arrival in rows if arrival is not None),
    }
