"""Registering for a program day, and the person's own page behind their personal link."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from eventapp.events.privacy import PRIVACY_NOTICE_VERSION
from eventapp.events.services import choice_slots, get_event_or_404, get_session_or_404
from eventapp.platform.calendar.ics import build_calendar, ics_response
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db, limiter
from eventapp.platform.forms import ConfirmForm
from eventapp.platform.i18n import current_language, localized, text_in
from eventapp.platform.mail import own_outbox
from eventapp.platform.settings import settings
from eventapp.platform.tickets.qr import qr_png
from eventapp.platform.urls import public_url
from eventapp.questions.forms import given_answers
from eventapp.questions.services import questions_of, save_answers
from eventapp.registration import attempts, contacts, limits, preferences, services, transfers
from eventapp.registration.calendar import invitation_calendar, session_entries
from eventapp.registration.forms import (
    CancelForm,
    ChangeSessionForm,
    ContactForm,
    DetailsForm,
    TransferForm,
    answers_form,
    ranking_form,
    registration_form,
    session_choices,
)
from eventapp.registration.models import RegistrationStatus
from eventapp.registration.pages import render_manage
from eventapp.registration.queries import get_registration_or_404, registration_overview
from eventapp.registration.record import refused_after_the_day

bp = Blueprint("registration", __name__)

MAILED_TO = "registration_mailed_to"  # session key: the address the last attempt mailed


@bp.route("/e/<slug>/register", methods=["GET", "POST"])
@limiter.limit(lambda: settings().registration_rate_limit, methods=["POST"])
@limiter.limit(
    lambda: settings().registration_prefix_rate_limit,
    methods=["POST"],
    key_func=limits.client_prefix,
    scope="registration-prefix",
)
def register(slug: str):
    """The registration form; every attempt is answered alike: the ticket and link went to the address."""
    event = get_event_or_404(slug)
    slots = choice_slots(event)
    questions = questions_of(db.session, event.id)
    language = current_language()
    ranked = event.collects_preferences
    form = registration_form(slots, questions, language, ranked=ranked, seconds=not ranked, language=language)
    if form.validate_on_submit():
        now = utcnow()
        try:
            mailed = attempts.register_or_remind(
                db.session,
                event,
                form.person(),
                form.session_ids(),
                PRIVACY_NOTICE_VERSION,
                now,
                wants_newsletter=form.newsletter.data,
                ranking=form.ranking() if ranked else None,
                second_ids=None if ranked else form.second_ids(),
            )
        except services.InvalidChoices:
            abort(400)
        if mailed.is_new:  # a known address keeps its answers: only its owner changes them, on the personal page
            save_answers(db.session, mailed.registration.id, questions, given_answers(form, questions), now)
        db.session.commit()
        # The same answer for a new and a known address: the personal page is reached only through the mail.
        session[MAILED_TO] = mailed.registration.email
        if mailed.mail is not None:
            own_outbox.remember(mailed.mail.id)
        return redirect(url_for(".check_mail", slug=slug))
    state = services.window_state(event, utcnow())
    status = 422 if form.is_submitted() else 200
    return render_template(
        "registration/form.html", event=event, slots=slots, form=form, state=state, questions=questions
    ), status


@bp.get("/e/<slug>/register/check-mail")
def check_mail(slug: str):
    """Said after every registration attempt: the ticket and personal link went to the address."""
    return render_template(
        "registration/check_mail.html",
        event=get_event_or_404(slug),
        address=session.get(MAILED_TO),
        outbox_url=own_outbox.url(),
    )


@bp.get("/r/<token>")
def manage(token: str):
    """The person's own page: status, sessions or place in line, QR code, calendar, changes."""
    return render_manage(get_registration_or_404(token))


@bp.post("/r/<token>/slot/<id:slot_id>")
@refused_after_the_day
def change_session(token: str, slot_id: int):
    """Swap to another session of a slot; a full one offers its waitlist, keeping the seat held."""
    registration = get_registration_or_404(token)
    form = ChangeSessionForm(prefix=f"slot{slot_id}")
    slot = next((slot for slot in choice_slots(registration.event) if slot.id == slot_id), None)
    if slot is None:
        abort(404)
    form.session_id.choices = session_choices(slot)
    if not form.validate():
        flash(_("Please choose a session."), "error")
        return redirect(url_for(".manage", token=token))
    try:
        result = services.change_session(
            db.session, registration, form.session_id.data, utcnow(), join_waitlist=form.join_waitlist.data == "1"
        )
    except services.SessionFull as full:
        db.session.rollback()
        return render_manage(registration, status=409, full_session=full.session)
    except services.RegistrationCancelled:
        abort(409)
    db.session.commit()
    flash(swap_message(result), "success")
    return redirect(url_for(".manage", token=token))


def swap_message(result: services.SwapResult) -> str:
    """What the person is told after a change of session."""
    title = localized(result.session, "title")
    if result.outcome == "confirmed":
        return _("You now have a seat in %(title)s.", title=title)
    if result.outcome == "waitlisted" and result.place_in_line:
        return _(
            "You are on the waitlist for %(title)s (place %(place)d) and keep the seat you have.",
            title=title,
            place=result.place_in_line,
        )
    if result.outcome == "waitlisted":
        return _("Your choice is saved: %(title)s.", title=title)
    return _("You keep your seat in %(title)s.", title=title)


@bp.post("/r/<token>/ranking")
@refused_after_the_day
def update_ranking(token: str):
    """Save the person's ranked sessions (preference mode, until the deadline)."""
    registration = get_registration_or_404(token)
    if registration.status == RegistrationStatus.CANCELLED:
        abort(409)
    form = ranking_form(choice_slots(registration.event))
    if not form.validate():
        return render_manage(registration, status=422, ranking_form=form)
    try:
        preferences.save_ranking(db.session, registration, form.ranking(), utcnow())
    except preferences.RankingClosed:
        abort(409)
    except preferences.InvalidRanking:
        abort(400)
    db.session.commit()
    flash(_("Your ranking is saved."), "success")
    return redirect(url_for(".manage", token=token))


@bp.post("/r/<token>/details")
@refused_after_the_day
def update_details(token: str):
    """Save the person's name, organisation, role and language."""
    registration = get_registration_or_404(token)
    if registration.status == RegistrationStatus.CANCELLED:
        abort(409)
    form = DetailsForm()
    if not form.validate():
        return render_manage(registration, status=422, details_form=form)
    services.update_details(registration, form.person(registration.email))
    db.session.commit()
    flash(_("Your details are saved."), "success")
    return redirect(url_for(".manage", token=token))


@bp.post("/r/<token>/answers")
@refused_after_the_day
def update_answers(token: str):
    """Change the answers to the organiser's questions."""
    registration = get_registration_or_404(token)
    if registration.status == RegistrationStatus.CANCELLED:
        abort(409)
    questions = questions_of(db.session, registration.event_id)
    form = answers_form(questions, current_language())
    if not form.validate():
        return render_manage(registration, status=422, answers_form=form)
    save_answers(db.session, registration.id, questions, given_answers(form, questions), utcnow())
    db.session.commit()
    flash(_("Your answers are saved."), "success")
    return redirect(url_for(".manage", token=token) + "#answers-heading")


@bp.post("/r/<token>/contact/<id:session_id>")
def ask_contact(token: str, session_id: int):
    """'Contact me about this pilot', with the consent ticked; or, with withdraw=yes, withdraw it."""
    registration = get_registration_or_404(token)
    session = get_session_or_404(registration.event, session_id)
    if registration.status == RegistrationStatus.CANCELLED or not session.contacts:
        abort(404)
    form = ContactForm()
    if request.form.get("withdraw") == "yes":
        contacts.withdraw(db.session, registration.id, session.id)
        message = _("Your request is withdrawn.")
    elif form.validate() and (named := contacts.named_in(session, request.form.get("contacts", ""))):
        consent = contacts.consent_sentence(session, current_language(), named)
        contacts.ask(db.session, registration, session, form.note.data or "", consent, utcnow(), named)
        message = _("Your request is saved: the organisers pass it on to the contact person.")
    else:
        if not form.errors:  # the page named none of the pilot's contacts now: agree to those it names now
            form.consent.errors = [
                _("The contact persons of this pilot have changed: read the sentence again and tick the box.")
            ]
        return render_manage(registration, status=422, contact_forms={session.id: form})
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".manage", token=token) + "#contact-heading")


@bp.post("/r/<token>/cancel")
@refused_after_the_day
def cancel(token: str):
    """Cancel the registration; the seats go to the first people waiting."""
    registration = get_registration_or_404(token)
    form = CancelForm()
    if not form.validate():
        return render_manage(registration, status=422, cancel_form=form)
    services.cancel(db.session, registration, utcnow())
    db.session.commit()
    flash(_("Your registration is cancelled. Your seats went to the people waiting for them."), "success")
    return redirect(url_for(".manage", token=token))


@bp.get("/r/<token>/calendar.ics")
def calendar_ics(token: str):
    """The person's afternoon as their latest invitation has it (same UID and SEQUENCE), in their language."""
    registration = get_registration_or_404(token)
    if registration.status != RegistrationStatus.CONFIRMED:
        abort(404)
    url = public_url("registration.manage", token=token)
    _, body = invitation_calendar(registration, registration.language, utcnow(), url, download=True)
    return ics_response(body, f"{registration.event.slug}-{registration.event.date.isoformat()}.ics")


@bp.get("/r/<token>/sessions.ics")
def sessions_ics(token: str):
    """Each of the person's sessions as a calendar entry of its own (PUBLISH), in their language."""
    registration = get_registration_or_404(token)
    if registration.status != RegistrationStatus.CONFIRMED:
        abort(404)
    event, language = registration.event, registration.language
    body = build_calendar(
        session_entries(registration, language, public_url("registration.manage", token=token)),
        utcnow(),
        name=text_in(event, "title", language),
        sequence=registration.calendar_sequence,
    )
    return ics_response(body, f"{event.slug}-{event.date.isoformat()}-sessions.ics")


@bp.get("/r/<token>/qr.png")
def qr_image(token: str):
    """The QR code of a confirmed registration (reached through the personal link only)."""
    registration = get_registration_or_404(token)
    if registration.status != RegistrationStatus.CONFIRMED:
        abort(404)
    return Response(qr_png(registration.ticket_code), mimetype="image/png")


# --- transfer to a colleague ------------------------------------------------------------------


def render_transfer(registration, form, status=200, refusal=None):
    if refusal is None and not transfers.may_transfer(registration, utcnow()):
        refusal = transfers.refusal_text(transfers.NOT_NOW)
    if registration.status == RegistrationStatus.CANCELLED:
        refusal = transfers.refusal_text(transfers.CANCELLED)
    page = render_template("registration/transfer.html", registration=registration, form=form, refusal=refusal)
    return page, status


@bp.route("/r/<token>/transfer", methods=["GET", "POST"])
def transfer(token: str):
    """The form: the colleague who goes instead (name, organisation, kind, address, language)."""
    if request.method == "POST":
        return request_transfer(token)
    registration = get_registration_or_404(token)
    return render_transfer(registration, TransferForm(formdata=None, language=registration.language))


@refused_after_the_day
def request_transfer(token: str):
    """Mail the colleague the link to accept the place; nothing moves before they do."""
    registration = get_registration_or_404(token)
    form = TransferForm()
    if not form.validate():
        return render_transfer(registration, form, status=422)
    try:
        request_row, mail = transfers.request_transfer(db.session, registration, form.person(), utcnow())
    except transfers.TransferRefused as refused:
        db.session.rollback()
        return render_transfer(registration, form, status=409, refusal=transfers.refusal_text(refused.reason))
    db.session.commit()
    own_outbox.remember(mail.id)
    return render_template(
        "registration/transfer_sent.html", registration=registration, request=request_row, outbox_url=own_outbox.url()
    )


def transfer_gone(status: int):
    """An unknown confirmation link (404), or one used, replaced or expired (410)."""
    response = make_response(render_template("registration/transfer_gone.html", unknown=status == 404), status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/r/transfer/<token>", methods=["GET", "POST"])
def confirm_transfer(token: str):
    """The colleague sees what they accept, and accepts: the place, with its sessions and seats, is theirs."""
    asked = transfers.request_for(db.session, token)
    if asked is None:
        return transfer_gone(404)
    if not transfers.is_open(asked, utcnow()):
        return transfer_gone(410)
    form, refusal, status = ConfirmForm(), None, 200
    if form.validate_on_submit():
        try:
            moved = transfers.confirm_transfer(db.session, asked, utcnow())
        except transfers.TransferGone:
            db.session.rollback()
            return transfer_gone(410)
        except transfers.TransferRefused as refused:
            db.session.rollback()
            refusal, status = transfers.refusal_text(refused.reason), 409
        else:
            db.session.commit()
            own_outbox.remember(moved.mail.id)
            flash(_("The place is yours. We have mailed you your ticket and this personal link."), "success")
            return redirect(url_for(".manage", token=moved.registration.manage_token))
    registration = asked.registration
    overview = registration_overview(db.session, registration)
    page = render_template(
        "registration/transfer_confirm.html",
        asked=asked,
        registration=registration,
        overview=overview,
        form=form,
        refusal=refusal,
    )
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    return response
