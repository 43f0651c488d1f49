"""The person's own page with its forms, as the registration's and the privacy pages show it."""

from flask import render_template

from eventapp.calendar.ics import google_calendar_url, outlook_calendar_url
from eventapp.events.services import today_local
from eventapp.extensions import db
from eventapp.i18n import current_language
from eventapp.registration import queries
from eventapp.registration.calendar import invitation_entry
from eventapp.registration.forms import CancelForm, ChangeSessionForm, DetailsForm, EraseForm, session_choices
from eventapp.registration.models import RegistrationStatus
from eventapp.registration.waitlists import day_place_in_line
from eventapp.tickets.qr import qr_svg
from eventapp.urls import public_url


def render_manage(registration, status=200, full_session=None, details_form=None, cancel_form=None, erase_form=None):
    """The person's own page, with its forms."""
    overview = queries.registration_overview(db.session, registration)
    change_forms = {}
    for item in overview:
        form = ChangeSessionForm(prefix=f"slot{item.slot.id}", formdata=None)
        form.session_id.choices = session_choices(item.slot)
        form.session_id.data = (item.seat or item.waiting_for).id if (item.seat or item.waiting_for) else None
        change_forms[item.slot.id] = form
    day_place, calendar_links = None, None
    if registration.status == RegistrationStatus.CONFIRMED:
        url = public_url("registration.manage", token=registration.manage_token)
        entry = invitation_entry(registration, current_language(), url)
        calendar_links = {"google": google_calendar_url(entry), "outlook": outlook_calendar_url(entry)}
    if registration.status == RegistrationStatus.WAITLISTED:
        day_place = day_place_in_line(db.session, registration)
    return render_template(
        "registration/manage.html",
        registration=registration,
        event=registration.event,
        overview=overview,
        day_place=day_place,
        change_forms=change_forms,
        details_form=details_form or DetailsForm(obj=registration, formdata=None),
        cancel_form=cancel_form or CancelForm(formdata=None),
        erase_form=erase_form or EraseForm(formdata=None),
        full_session=full_session,
        calendar_links=calendar_links,
        qr=qr_svg(registration.ticket_code) if registration.status == RegistrationStatus.CONFIRMED else None,
        is_cancelled=registration.status == RegistrationStatus.CANCELLED,
        # From the day itself on, the page links to the attendance statement and the feedback form.
        after_the_day=today_local() >= registration.event.date,
    ), status
