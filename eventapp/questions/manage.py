"""The organiser's questions: add, change, reorder and remove them (the day's summary of the answers, which
reads the registrations, is registration/manage.py)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from eventapp.events.models import Event
from eventapp.events.services import get_event_or_404
from eventapp.platform.audit import audit
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.forms import ConfirmForm
from eventapp.platform.staff.back_office import back_office, menu_entry
from eventapp.questions import services
from eventapp.questions.forms import QuestionForm
from eventapp.questions.models import Question
from eventapp.questions.rules import options_text

bp = back_office("questions", __name__)
menu_entry(bp, "edit_questions", _l("Questions"), 50)


def get_question_or_404(event: Event, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.event_id != event.id:
        abort(404)
    return question


def render_questions(event: Event, form: QuestionForm, status: int = 200):
    questions = services.questions_of(db.session, event.id)
    counts = {question.id: services.answer_count(db.session, question.id) for question in questions}
    return render_template(
        "organiser/questions.html", event=event, questions=questions, counts=counts, form=form
    ), status


@bp.route("/e/<slug>/questions", methods=["GET", "POST"])
def edit_questions(slug: str):
    """The event's questions in their order, and a form to add one (also while registration is open)."""
    event = get_event_or_404(slug)
    form = QuestionForm()
    if form.validate_on_submit():
        question = services.add_question(db.session, event, form.data_for_rules(), utcnow())
        audit(db.session, current_user, "question.added", event, title=question.label_en)
        db.session.commit()
        flash(_("The question is added."), "success")
        return redirect(url_for(".edit_questions", slug=slug))
    return render_questions(event, form, 422 if form.is_submitted() else 200)


@bp.route("/e/<slug>/questions/<id:question_id>", methods=["GET", "POST"])
def edit_question(slug: str, question_id: int):
    """Change a question's texts, kind, options and marks; options keep their answers when reworded."""
    event = get_event_or_404(slug)
    question = get_question_or_404(event, question_id)
    form = QuestionForm(obj=question, existing_options=question.options)
    if not form.is_submitted():
        form.options_text.data = options_text(question.options)
    if form.validate_on_submit():
        services.change_question(question, form.data_for_rules())
        audit(db.session, current_user, "question.changed", event, title=question.label_en)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".edit_questions", slug=slug))
    status = 422 if form.is_submitted() else 200
    return render_template("organiser/question_form.html", event=event, question=question, form=form), status


@bp.post("/e/<slug>/questions/<id:question_id>/move")
def move_question(slug: str, question_id: int):
    """One place up (direction=up) or down (direction=down) on the form."""
    event = get_event_or_404(slug)
    question = get_question_or_404(event, question_id)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None:
        abort(400)
    services.move_question(db.session, question, step)
    audit(db.session, current_user, "question.moved", event, title=question.label_en)
    db.session.commit()
    return redirect(url_for(".edit_questions", slug=slug))


@bp.route("/e/<slug>/questions/<id:question_id>/remove", methods=["GET", "POST"])
def remove_question(slug: str, question_id: int):
    """Remove a question; one with answers first asks, on a page that says how many answers go (confirm=yes)."""
    event = get_event_or_404(slug)
    question = get_question_or_404(event, question_id)
    count = services.answer_count(db.session, question.id)
    confirmed = request.method == "POST" and (count == 0 or request.form.get("confirm") == "yes")
    if not confirmed:
        form = ConfirmForm(formdata=None)
        return render_template("organiser/question_remove.html", event=event, question=question, count=count, form=form)
    removed = services.remove_question(db.session, question)
    audit(db.session, current_user, "question.removed", event, title=question.label_en, answers=removed)
    db.session.commit()
    flash(_("The question is removed."), "success")
    return redirect(url_for(".edit_questions", slug=slug))
