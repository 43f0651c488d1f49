"""Turning check-in outcomes into what the scan page and devices receive (JSON, in the desk's language)."""

from collections import Counter
from zoneinfo import ZoneInfo

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from eventapp.checkin.lookups import Counts
from eventapp.checkin.models import ScanStatus
from eventapp.checkin.scan_log import ScanOutcome
from eventapp.checkin.telling_apart import mask_address, people_with_name
from eventapp.checkin.test_scans import not_today_message, test_allowed
from eventapp.events.models import Event, Session
from eventapp.events.services import choice_slots
from eventapp.platform.i18n import localized
from eventapp.registration.choices import slot_choices
from eventapp.registration.models import Registration, RegistrationStatus


def session_json(session: Session) -> dict[str, int | str]:
    return {"id": session.id, "title": localized(session, "title"), "room": localized(session, "room")}


def person_json(registration: Registration) -> dict:
    return {
        "id": registration.id,
        "name": registration.name,
        "organisation": registration.organisation,
        "role": registration.role,
    }


def program_json(registration: Registration) -> list[dict]:
    """The person's seat per slot, in order: what the desk tells them about where to go."""
    program = []
    for slot in choice_slots(registration.event):
        seat, waiting = slot_choices(registration, slot.id)
        chosen = seat or waiting
        program.append(
            {
                "slot": localized(slot, "title"),
                "starts_at": slot.starts_at.strftime("%H:%M"),
                "title": localized(chosen.session, "title") if chosen else "",
                "room": localized(chosen.session, "room") if chosen else "",
                "waiting": seat is None,
            }
        )
    return program


def local_time(moment, event: Event) -> str:
    return moment.astimezone(ZoneInfo(event.timezone)).strftime("%H:%M") if moment else ""


def message(outcome: ScanOutcome, event: Event) -> str:
    """One line the desk can read out."""
    at, desk = local_time(outcome.checked_in_at, event), outcome.desk
    if outcome.phase is not None:  # set on a not_today outcome only
        return not_today_message(outcome.phase)
    if outcome.status == ScanStatus.OK:
        return seat_news(outcome)  # the card's word says the rest
    if outcome.status == ScanStatus.ALREADY_CHECKED_IN:
        return (
            _("Already checked in at %(time)s at %(desk)s.", time=at, desk=desk)
            if desk
            else _("Already checked in at %(time)s.", time=at)
        )
    if outcome.status == ScanStatus.CANCELLED:
        return _("This registration was cancelled.")
    if outcome.status == ScanStatus.WRONG_ROOM:
        expected = outcome.expected_session
        return _(
            "Wrong room: %(title)s is in %(room)s.",
            title=localized(expected, "title"),
            room=localized(expected, "room") or "?",
        )
    door = door_message(outcome)
    if door is not None:
        return door
    return {
        "other_event": _("Registered for another event."),
        "waitlisted": _("On the waitlist: not admitted to the day."),
    }.get(outcome.reason, _("Not a valid ticket."))


def door_message(outcome: ScanOutcome) -> str | None:
    """For the door verdicts of someone without a seat in this session: why, and whether the door can admit them."""
    if outcome.status not in (ScanStatus.WAITLISTED_HERE, ScanStatus.NO_SEAT):
        return None
    lines = [
        _("On the waitlist of this session: no seat here.")
        if outcome.status == ScanStatus.WAITLISTED_HERE
        else _("No seat in this part of the day.")
    ]
    if outcome.expected_session is not None:
        lines.append(_("Their seat is in %(title)s.", title=localized(outcome.expected_session, "title")))
    if outcome.reason == "full" or outcome.admit is None:
        lines.append(_("No free seat here."))
    elif outcome.admit == "over_capacity":
        lines.append(_("No free seat here; standing is allowed."))
    return " ".join(lines)


def seat_news(outcome: ScanOutcome) -> str:
    """For someone who just came in: their number at the door, or that their seat went to someone else."""
    lines = [
        _(
            "Welcome; you are number %(place)d at the door for %(title)s.",
            place=place,
            title=localized(session, "title"),
        )
        for session, place in outcome.door_places
    ]
    if outcome.released:
        titles = ", ".join(localized(session, "title") for session in outcome.released)
        lines.append(_("Their seat in %(titles)s went to someone at the door.", titles=titles))
        if outcome.rooms:
            free = ", ".join(localized(session, "title") for session in outcome.rooms)
            lines.append(_("Room in: %(free)s (one tap on their page).", free=free))
    return " ".join(lines)


def outcome_json(outcome: ScanOutcome, event: Event, occupancy: tuple[int, int] | None = None) -> dict:
    """The check-in API's answer."""
    registration = outcome.registration
    # Who the scan found is told unless the code names no one here (a waitlisted person is named, though).
    known = outcome.status != ScanStatus.INVALID or outcome.reason == "waitlisted"
    person = registration if known else None
    confirmed = person if person is not None and person.status == RegistrationStatus.CONFIRMED else None
    body = {
        "status": outcome.status,
        "reason": outcome.reason,
        "message": message(outcome, event),
        "replayed": outcome.replayed,
        "person": person_json(person) if person is not None else None,
        "sessions": program_json(confirmed) if confirmed is not None else [],
        "checked_in_at": outcome.checked_in_at.isoformat() if outcome.checked_in_at else None,
        "checked_in_at_local": local_time(outcome.checked_in_at, event),
        "desk": outcome.desk,
        "session": session_json(outcome.session) if outcome.session else None,
        "expected_session": session_json(outcome.expected_session) if outcome.expected_session else None,
        "admit": outcome.admit,  # door verdicts: "seat", "over_capacity" (confirm twice) or None
        "at_the_door": [{**session_json(session), "place": place} for session, place in outcome.door_places],
        "released": [session_json(session) for session in outcome.released],
        "rooms": [session_json(session) for session in outcome.rooms],
        "person_url": url_for("door.at_the_door", registration_id=confirmed.id) if confirmed else None,
        "badge_url": url_for("door.badge_pdf", registration_id=confirmed.id) if confirmed else None,
    }
    body["test"] = outcome.test
    if outcome.phase is not None:  # not_today: the desk may offer to send it again as a test
        body.update(phase=outcome.phase, test_allowed=test_allowed(outcome.phase))
    if occupancy is not None:
        body["occupancy"] = {"attended": occupancy[0], "capacity": occupancy[1]}
    return body


def counts_json(counts: Counts) -> dict:
    return {
        "checked_in": counts.checked_in,
        "expected": counts.expected,
        "sessions": [
            {
                **session_json(row.session),
                "expected": row.expected,
                "attended": row.attended,
                "capacity": row.session.capacity,
            }
            for row in counts.sessions
        ],
    }


def search_json(registrations: list[Registration], arrivals: dict, event: Event, same_names: Counter) -> list[dict]:
    """The desk's search results: who they are, told apart by a masked address, their sessions and how many
    people share the name; never the full address (eventapp.checkin.telling_apart)."""
    return [
        {
            **person_json(registration),
            "masked_address": mask_address(registration.email),
            "same_name": people_with_name(same_names, registration),
            "same_name_hint": same_name_hint(people_with_name(same_names, registration)),
            "status": registration.status,
            "checked_in_at_local": local_time(arrivals[registration.id].checked_in_at, event)
            if registration.id in arrivals
            else "",
            "sessions": program_json(registration) if registration.status == RegistrationStatus.CONFIRMED else [],
        }
        for registration in registrations
    ]


def same_name_hint(people: int) -> str:
    """ "2 people with this name", or "" for a unique name."""
    return ngettext("%(num)d person with this name", "%(num)d people with this name", people) if people > 1 else ""


def desk_rows(registrations: list[Registration], same_names: Counter) -> list[dict]:
    """The "not arrived yet" list's rows: the person, their masked address, sessions and namesakes."""
    return [
        {
            "person": registration,
            "masked_address": mask_address(registration.email),
            "same_name": people_with_name(same_names, registration),
            "same_name_hint": same_name_hint(people_with_name(same_names, registration)),
            "sessions": [row for row in program_json(registration) if row["title"]],
        }
        for registration in registrations
    ]
