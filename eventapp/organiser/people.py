"""Organiser pages about people: the list, one person's page and actions, exports, the audit log."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from eventapp.checkin.attended import is_checked_in
from eventapp.checkin.lookups import arrivals
from eventapp.events.models import Event
from eventapp.events.services import choice_slots, get_event_or_404, get_session_or_404
from eventapp.organiser import audit_log, lists, services
from eventapp.organiser.forms import ErasePersonForm, MoveForm
from eventapp.organiser.people_order import people_order
from eventapp.platform.audit import audit
from eventapp.platform.db import MAX_ID, checkpoint_erased, id_from_text, utcnow
from eventapp.platform.exports import Column, download_list
from eventapp.platform.extensions import db
from eventapp.platform.forms import ConfirmForm
from eventapp.platform.i18n import current_language, localized
from eventapp.platform.staff.back_office import back_office, menu_entry
from eventapp.privacy.farewell import deliver_farewells
from eventapp.questions.services import questions_of
from eventapp.registration import answers, transfers
from eventapp.registration import services as registration_services
from eventapp.registration.forms import DetailsForm, TransferForm, session_choices
from eventapp.registration.models import Registration, RegistrationStatus
from eventapp.registration.queries import get_person_or_404, registration_overview
from eventapp.registration.record import details_changes
from eventapp.statements import services as statements

PER_PAGE = 50
MAX_PAGE = MAX_ID // PER_PAGE
_PAGE_DIGITS = len(str(MAX_PAGE))

bp = back_office("people", __name__)
menu_entry(bp, "list_people", _l("People"), 20)
menu_entry(bp, "show_audit_log", _l("Audit log"), 110)


def people_filter() -> services.PeopleFilter:
    """The list's filter from the query arguments; a session no row can have is a 404."""
    session_id = None
    if asked := request.args.get("session", ""):  # empty: every session
        session_id = id_from_text(asked)
        if session_id is None:
            abort(404)
    checked_in = {"yes": True, "no": False}.get(request.args.get("checked_in", ""))
    status = request.args.get("status", "")
    return services.PeopleFilter(
        query=request.args.get("q", ""),
        session_id=session_id,
        status=status if status in ("confirmed", "waitlisted", "cancelled") else "",
        checked_in=checked_in,
        order=people_order(request.args.get("sort"), request.args.get("dir")),
    )


def page_number() -> int:
    """?page=: the first page when missing or no page number; a page past the last is empty; a 404 beyond every
    page a list of rows can have (its offset would overflow the databases' integers)."""
    asked = request.args.get("page", "")
    if not (asked.isascii() and asked.isdigit()):
        return 1
    number = int(asked) if len(asked) <= _PAGE_DIGITS else MAX_PAGE + 1  # int() refuses 4,300 digits and more
    if number > MAX_PAGE:
        abort(404)
    return max(number, 1)


@bp.get("/e/<slug>/people")
def list_people(slug: str):
    """Registrations, searchable and filtered by session, status and arrival."""
    event = get_event_or_404(slug)
    wanted = people_filter()
    query = services.people_query(event, wanted)
    page = db.paginate(query, page=page_number(), per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)
    return render_template(
        "organiser/people.html",
        event=event,
        page=page,
        wanted=wanted,
        arrivals=arrivals(db.session, page.items),
        sessions=[session for slot in choice_slots(event) for session in slot.sessions],
    )


@bp.get("/e/<slug>/people/<id:registration_id>")
def show_person(slug: str, registration_id: int):
    """One person: details, sessions, history, and what an organiser can do for them."""
    event = get_event_or_404(slug)
    return render_person(event, get_person_or_404(event, registration_id))


def render_person(event, registration, details_form=None, status=200, confirm_over=None):
    overview = (
        registration_overview(db.session, registration) if registration.status != RegistrationStatus.CANCELLED else []
    )
    move_forms = {}
    for item in overview:
        form = MoveForm(prefix=f"slot{item.slot.id}", formdata=None)
        form.session_id.choices = session_choices(item.slot)
        form.session_id.data = item.seat.id if item.seat else None
        move_forms[item.slot.id] = form
    return render_template(
        "organiser/person.html",
        event=event,
        registration=registration,
        overview=overview,
        move_forms=move_forms,
        details_form=details_form or DetailsForm(obj=registration, formdata=None),
        history=services.history(db.session, registration),
        answers=answers.person_answers(
            db.session, registration.id, questions_of(db.session, event.id), current_language()
        ),
        confirm_over=confirm_over,
        statement=statements.statement_of(db.session, registration),
        checked_in=is_checked_in(db.session, registration),
    ), status


def person_action(slug, registration_id, action, message):
    event = get_event_or_404(slug)
    registration = get_person_or_404(event, registration_id)
    action(registration)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".show_person", slug=slug, registration_id=registration_id))


@bp.post("/e/<slug>/people/<id:registration_id>/details")
def edit_person(slug: str, registration_id: int):
    event = get_event_or_404(slug)
    registration = get_person_or_404(event, registration_id)
    form = DetailsForm()
    if not form.validate():
        return render_person(event, registration, details_form=form, status=422)
    person = form.person(registration.email)
    changes = details_changes(registration, person)  # also after the day: a correction, before and after
    registration_services.update_details(registration, person)
    audit(db.session, current_user, "person.changed", registration=registration, changes=changes)
    if changes:  # what a statement says stays as issued: the corrected one is a new statement with a new code
        statements.replace_after_correction(db.session, registration, current_user, utcnow())
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for(".show_person", slug=slug, registration_id=registration_id))


def confirmed() -> bool:
    """The organiser pressed the confirmation page's button (CSRF is checked for every POST)."""
    return request.method == "POST" and request.form.get("confirm") == "yes"


def ask_first(event: Event, registration: Registration, action: str, erase_form=None):
    """The confirmation page of an irreversible action on one person: what happens, and what is kept."""
    return render_template(
        "organiser/person_confirm.html",
        event=event,
        registration=registration,
        action=action,
        seats=[item.seat for item in registration_overview(db.session, registration) if item.seat]
        if registration.status != RegistrationStatus.CANCELLED
        else [],
        form=erase_form or ConfirmForm(formdata=None),
    )


@bp.route("/e/<slug>/people/<id:registration_id>/cancel", methods=["GET", "POST"])
def cancel_person(slug: str, registration_id: int):
    """Cancel on the person's behalf, after a confirmation page that names them."""
    event = get_event_or_404(slug)
    registration = get_person_or_404(event, registration_id)
    if registration.status == RegistrationStatus.CANCELLED:
        return redirect(url_for(".show_person", slug=slug, registration_id=registration_id))
    if not confirmed():
        return ask_first(event, registration, "cancel")
    return person_action(
        slug, registration_id, lambda r: services.cancel_person(db.session, r, current_user, utcnow()), _("Cancelled.")
    )


@bp.route("/e/<slug>/people/<id:registration_id>/erase", methods=["GET", "POST"])
def erase_person(slug: str, registration_id: int):
    """Erase one person's details (on their request), after a confirmation page: seats freed, the row kept
    anonymously."""
    event = get_event_or_404(slug)
    registration = get_person_or_404(event, registration_id)
    if registration.anonymised_at:
        return redirect(url_for(".show_person", slug=slug, registration_id=registration_id))
    if not confirmed():
        return ask_first(event, registration, "erase", ErasePersonForm(formdata=None))
    remove_newsletter = ErasePersonForm().remove_newsletter.data
    response = person_action(
        slug,
        registration_id,
        lambda r: services.erase_person(db.session, r, current_user, utcnow(), remove_newsletter),
        _("Erased."),
    )
    deliver_farewells(db.session)  # the calendar CANCEL, then the address is gone
    checkpoint_erased(db.engine)
    return response


@bp.post("/e/<slug>/people/<id:registration_id>/admit")
def admit_person(slug: str, registration_id: int):
    return person_action(
        slug,
        registration_id,
        lambda r: services.admit_person(db.session, r, current_user, utcnow()),
        _("Admitted to the day."),
    )


@bp.post("/e/<slug>/people/<id:registration_id>/resend")
def resend_confirmation(slug: str, registration_id: int):
    return person_action(
        slug,
        registration_id,
        lambda r: services.resend_confirmation(db.session, r, current_user, utcnow()),
        _("The confirmation is on its way again."),
    )


@bp.post("/e/<slug>/people/<id:registration_id>/slot/<id:slot_id>")
def move_person(slug: str, registration_id: int, slot_id: int):
    """Put the person in another session: within its seats, or over them after a confirmation."""
    event = get_event_or_404(slug)
    registration = get_person_or_404(event, registration_id)
    slot = next((s for s in choice_slots(event) if s.id == slot_id), None)
    if slot is None or registration.status == RegistrationStatus.CANCELLED:
        abort(404)
    form = MoveForm(prefix=f"slot{slot_id}")
    form.session_id.choices = session_choices(slot)
    if not form.validate():
        abort(400)
    session = get_session_or_404(event, form.session_id.data)
    try:
        services.move_person(
            db.session, registration, session, current_user, utcnow(), over_capacity=form.over_capacity.data
        )
    except registration_services.SessionFull:
        db.session.rollback()
        return render_person(event, registration, status=409, confirm_over=session)
    db.session.commit()
    flash(_("Moved to %(title)s.", title=localized(session, "title")), "success")
    return redirect(url_for(".show_person", slug=slug, registration_id=registration_id))


# --- exports ---------------------------------------------------------------------------------------


def download(event: Event, name: str, fmt: str, columns: list[Column], rows, sheet: str) -> Response:
    """A list of the event, named after its address and date."""
    return download_list(event.slug, event.date.isoformat(), name, fmt=fmt, columns=columns, rows=rows, sheet=sheet)


@bp.get("/e/<slug>/export/attendance.<any(csv, xlsx):fmt>")
def export_attendance(slug: str, fmt: str):
    """Everyone with organisation, role, sessions, status, check-in time and answers (sensitive ones on request)."""
    event = get_event_or_404(slug)
    language = current_language()
    sensitive = answers.wants_sensitive(request.args.get("sensitive"))
    audit(db.session, current_user, "export.attendance", event, format=fmt, sensitive=sensitive)
    db.session.commit()
    questions = questions_of(db.session, event.id, sensitive=sensitive)
    columns = lists.attendance_columns(event, language, answers.answer_columns(questions, language))
    cells = answers.answers_by_person(db.session, event.id, questions, language)
    rows = lists.attendance_rows(db.session, event, language, cells, len(questions))
    return download(event, "attendance", fmt, columns, rows, _("Attendance"))


@bp.get("/e/<slug>/export/session/<id:session_id>.<any(csv, xlsx):fmt>")
def export_session(slug: str, session_id: int, fmt: str):
    """The people in one session, for its host, and who came through its door."""
    event = get_event_or_404(slug)
    session = get_session_or_404(event, session_id)
    audit(db.session, current_user, "export.session", event, session=session.title_en, format=fmt)
    db.session.commit()
    title = localized(session, "title")
    return download(
        event, f"session-{session.id}", fmt, lists.SESSION_COLUMNS, lists.session_rows(db.session, session), title
    )


@bp.get("/e/<slug>/export/session/<id:session_id>/print")
def print_session(slug: str, session_id: int):
    """A printable list per session with a column to sign."""
    event = get_event_or_404(slug)
    session = get_session_or_404(event, session_id)
    rows = list(lists.session_rows(db.session, session))
    return render_template(
        "organiser/session_print.html",
        event=event,
        session=session,
        rows=rows,
        extra=lists.walk_ins_at_door(db.session, session),
    )


@bp.get("/e/<slug>/export/waitlists.<any(csv, xlsx):fmt>")
def export_waitlists(slug: str, fmt: str):
    """The day's waitlist and every session's line, in order."""
    event = get_event_or_404(slug)
    audit(db.session, current_user, "export.waitlists", event, format=fmt)
    db.session.commit()
    return download(
        event,
        "waitlists",
        fmt,
        lists.WAITLIST_COLUMNS,
        lists.waitlist_rows(db.session, event, current_language()),
        _("Waitlists"),
    )


# --- the audit log ------------------------------------------------------------------


@bp.get("/e/<slug>/audit")
def show_audit_log(slug: str):
    """Who changed what, and when."""
    event = get_event_or_404(slug)
    action = audit_log.action_kind(request.args.get("action", ""))
    actors = services.audit_actors(db.session, event)
    actor = next((user for user in actors if str(user.id) == request.args.get("actor", "")), None)
    found = services.audit_log(db.session, event, action=action, actor_id=actor.id if actor else None)
    people = services.audited_people(db.session, found)
    entries = [
        (entry, audit_log.sentence(db.session, entry), audit_log.person_named(people.get(entry.registration_id or 0)))
        for entry in found
    ]
    return render_template(
        "organiser/audit.html",
        event=event,
        entries=entries,
        kinds=audit_log.ACTION_KINDS,
        actors=actors,
        action=action,
        actor=actor,
    )


@bp.route("/e/<slug>/people/<id:registration_id>/transfer", methods=["GET", "POST"])
def transfer_person(slug: str, registration_id: int):
    """Give the person's place to a colleague at once (the organiser checked); both get their mails. Audited."""
    event = get_event_or_404(slug)
    registration = get_person_or_404(event, registration_id)
    form, refusal = TransferForm(), None
    if form.validate_on_submit():
        try:
            transfers.transfer_now(db.session, registration, form.person(), current_user, utcnow())
        except transfers.TransferRefused as refused:
            db.session.rollback()
            refusal = transfers.refusal_text(refused.reason)
        else:
            db.session.commit()
            flash(_("The place went to %(name)s; both have been mailed.", name=registration.name), "success")
            return redirect(url_for(".show_person", slug=slug, registration_id=registration_id))
    status = 409 if refusal else 422 if form.is_submitted() else 200
    return render_template(
        "organiser/person_transfer.html", event=event, registration=registration, form=form, refusal=refusal
    ), status
