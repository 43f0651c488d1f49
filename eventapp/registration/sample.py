"""A sample person for an organiser's test copy: the mail reads as an attendee's would, about nobody real.

A test copy goes to the organiser's own mailbox, outside the back office; the first real attendee's name,
organisation and sessions do not belong there. The sample lives only while its mail is written: it is
never added to the database session, and nothing refers to it.
"""

from flask_babel import gettext as _

from eventapp.events.models import Event
from eventapp.events.services import choice_slots
from eventapp.registration.models import Choice, Registration, RegistrationStatus


def sample_registration(event: Event, email: str, session_id: int | None = None) -> Registration:
    """ "Voorbeeld Deelnemer" of a sample organisation, with a seat in one session of each choice slot.

    That is session `session_id` in its slot (a message to a session's people names it), elsewhere the first.
    Texts are in the current locale: call it inside the mail's `force_locale`.
    """
    registration = Registration(
        event=event,
        name=_("Sample Attendee"),
        email=email,
        organisation=_("Sample Organisation"),
        status=RegistrationStatus.CONFIRMED,
        calendar_sequence=0,
    )
    for slot in choice_slots(event):
        if not slot.sessions:
            continue
        session = next((session for session in slot.sessions if session.id == session_id), slot.sessions[0])
        seat = Choice(session_id=session.id, agenda_item_id=slot.id, status=RegistrationStatus.CONFIRMED)
        seat.session, seat.agenda_item = session, slot
        registration.choices.append(seat)
    return registration
