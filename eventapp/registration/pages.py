"""The person's own page with its forms, as the registration's and the privacy pages show it."""

from flask import render_template

from eventapp.events.phases import Action, EventPhase, allows, event_phase
from eventapp.events.services import choice_slots
from eventapp.platform.calendar.ics import google_calendar_url, outlook_calendar_url
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.i18n import current_language
from eventapp.platform.tickets.qr import qr_svg
from eventapp.platform.urls import public_url
from eventapp.questions.forms import fill_from
from eventapp.questions.services import answers_of, questions_of
from eventapp.registration import contacts, fallbacks, forms, preferences, queries
from eventapp.registration.calendar import invitation_entry
from eventapp.registration.forms import CancelForm, ChangeSessionForm, DetailsForm, EraseForm, session_choices
from eventapp.registration.models import RegistrationStatus
from eventapp.registration.waitlists import day_place_in_line


def render_manage(
    registration,
    status=200,
    full_session=None,
    details_form=None,
    cancel_form=None,
    erase_form=None,
    answers_form=None,
    contact_forms=None,
    ranking_form=None,
    refused_as_record=False,
):
    """The person's own page, with its forms."""
    overview = queries.registration_overview(db.session, registration)
    change_forms = {}
    for item in overview:
        form = ChangeSessionForm(prefix=f"slot{item.slot.id}", formdata=None)
        form.session_id.choices = session_choices(item.slot)
        form.session_id.data = chosen.id if (chosen := item.seat or item.waiting_for) else None
        change_forms[item.slot.id] = form
    day_place, calendar_links = None, None
    if registration.status == RegistrationStatus.CONFIRMED:
        url = public_url("registration.manage", token=registration.manage_token)
        entry = invitation_entry(registration, current_language(), url)
        calendar_links = {"google": google_calendar_url(entry), "outlook": outlook_calendar_url(entry)}
    if registration.status == RegistrationStatus.WAITLISTED:
        day_place = day_place_in_line(db.session, registration)
    event = registration.event
    phase = event_phase(event, utcnow())
    ranking = preferences.ranking_of(db.session, registration) if event.collects_preferences else {}
    if ranking_form is None and preferences.ranking_open(event, utcnow()):  # asks the phase too
        ranking_form = forms.ranking_form(choice_slots(event), formdata=None, data=ranking_defaults(ranking))
    return render_template(
        "registration/manage.html",
        **questions_and_contacts(registration, overview, answers_form, contact_forms or {}),
        ranking=ranking,
        ranking_form=ranking_form,
        second_choices=fallbacks.second_choices(db.session, registration),
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
        qr=qr_svg(registration.ticket_code)
        if registration.status == RegistrationStatus.CONFIRMED and allows(phase, Action.SHOW_TICKET)
        else None,
        is_cancelled=registration.status == RegistrationStatus.CANCELLED,
        # From the day itself on, the page links to the attendance statement and the feedback form.
        after_the_day=allows(phase, Action.GET_STATEMENT),
        # After the day: a record, not a form (registration.record); `refused_as_record` says a change was refused.
        is_record=not allows(phase, Action.EDIT_DETAILS),
        refused_as_record=refused_as_record,
        may_transfer=registration.status != RegistrationStatus.CANCELLED and allows(phase, Action.TRANSFER),
        phase=phase,
    ), status


def questions_and_contacts(registration, overview, answers_form, contact_forms) -> dict:
    """The answers form, the pilots one can ask to be contacted about, and (after the day) the materials."""
    questions = questions_of(db.session, registration.event_id)
    if answers_form is None:
        answers_form = forms.answers_form(questions, current_language(), formdata=None)
        fill_from(answers_form, answers_of(db.session, registration.id))
    seats = [item.seat for item in overview if item.seat]
    pilots = contacts.pilots_with_contacts([session for item in overview for session in item.slot.sessions])
    language = current_language()
    return {
        "questions": questions,
        "answers_form": answers_form,
        "pilots": pilots,
        "contact_requests": (requests := contacts.requests_of(db.session, registration.id)),
        "new_contacts": {p.id: contacts.new_contacts(p, requests.get(p.id)) for p in pilots},
        "contact_forms": {p.id: contact_forms.get(p.id) or forms.ContactForm(formdata=None) for p in pilots},
        "consents": {p.id: contacts.consent_sentence(p, language) for p in pilots},
        "materials": [seat for seat in seats if seat.materials] if _after_the_day(registration.event) else [],
    }


def _after_the_day(event) -> bool:
    return event_phase(event, utcnow()) in (EventPhase.ENDED, EventPhase.ANONYMISED)


def ranking_defaults(ranking: dict[int, list[int]]) -> dict:
    """The form's data for a saved ranking: rank_<slot id>_<n> -> session id."""
    return {
        f"rank_{slot_id}_{n}": session_id
        for slot_id, sessions in ranking.items()
        for n, session_id in enumerate(sessions, start=1)
    }
