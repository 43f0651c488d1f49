"""Shared helpers of the questions tests: the demo day's questions and a registration that answers them."""

from sqlalchemy import select

from eventapp.platform.extensions import db
from eventapp.questions.models import Answer, Question
from eventapp.registration.models import Registration
from tests.registration.test_pages import csrf_token, form_data


def demo_questions(app) -> tuple[int, int]:
    """The ids of "Dietary requirements" and "Accessibility needs"."""
    with app.app_context():
        ids = {q.label_en: q.id for q in db.session.scalars(select(Question))}
    return ids["Dietary requirements"], ids["Accessibility needs"]


def register_answering(app, client, slug, email, diet=(), other="", access="", **fields):
    """Register through the form with these answers; returns the response and the personal link's token."""
    diet_id, access_id = demo_questions(app)
    page = client.get(f"/e/{slug}/register").get_data(as_text=True)
    answers = {f"question_{diet_id}": list(diet), f"question_{diet_id}_other": other, f"question_{access_id}": access}
    data = form_data(app, csrf_token(page), email=email, **answers, **fields)
    response = client.post(f"/e/{slug}/register", data=data)
    with app.app_context():
        token = db.session.scalar(select(Registration.manage_token).where(Registration.email == email))
    return response, token


def answers_in_db(app) -> list[tuple]:
    with app.app_context():
        return [
            (a.question.label_en, a.text, a.choices) for a in db.session.scalars(select(Answer).order_by(Answer.id))
        ]
