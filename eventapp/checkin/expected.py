"""Who is expected at the desk and has not come yet: the "not arrived yet" list of 14:00."""

from sqlalchemy import select

from eventapp.checkin.models import CheckIn
from eventapp.events.models import Event
from eventapp.platform.db import DbSession
from eventapp.registration.models import Registration, RegistrationStatus, search_words


def not_arrived(db_session: DbSession, event: Event, query: str = "") -> list[Registration]:
    """People confirmed for the day who have no check-in, by name; `query` narrows them like the desk's search
    (every word, any case, accents or not). The waitlist and cancellations are not expected, so not listed."""
    arrived = select(CheckIn.registration_id).where(CheckIn.event_id == event.id)
    statement = select(Registration).where(
        Registration.event_id == event.id,
        Registration.status == RegistrationStatus.CONFIRMED,
        Registration.id.not_in(arrived),
    )
    for word in search_words(query[:200])[:8]:
        statement = statement.where(Registration.search_text.contains(word, autoescape=True))
    return list(db_session.scalars(statement.order_by(Registration.sort_name, Registration.id)))  # as Dutch lists sort
