"""After the day the personal page is a record, not a form (events.phases: `ended`, `anonymised`).

Attempts to change it (old tabs, replays) are answered 409 with the page and a message in the person's language;
nothing changes. Organisers can still correct a registration, audited with before and after (`details_changes`).
"""

import functools

from flask_babel import force_locale

from eventapp.events.phases import Action, allows, event_phase
from eventapp.platform.db import utcnow
from eventapp.registration.models import Registration
from eventapp.registration.pages import render_manage
from eventapp.registration.queries import get_registration_or_404

DETAIL_FIELDS = ("name", "organisation", "organisation_type", "role", "language")


def may_change(registration: Registration, now) -> bool:
    """The person may still change their registration: the event's phase allows editing it."""
    return allows(event_phase(registration.event, now), Action.EDIT_DETAILS)


def refused_after_the_day(view):
    """For a personal page's POST: once the event's phase no longer allows changes, the page with 409."""

    @functools.wraps(view)
    def guarded(token: str, **kwargs):
        registration = get_registration_or_404(token)
        if not may_change(registration, utcnow()):
            with force_locale(registration.language):
                return render_manage(registration, status=409, refused_as_record=True)
        return view(token, **kwargs)

    return guarded


def details_changes(registration: Registration, person) -> dict[str, list]:
    """field -> [before, after] for what an organiser's correction changes (the audit's `changes`)."""
    changes = {}
    for field in DETAIL_FIELDS:
        before, after = str(getattr(registration, field) or ""), str(getattr(person, field) or "")
        if before != after:
            changes[field] = [before, after]
    return changes
