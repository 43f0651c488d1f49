"""What the organiser tests share: a test client logged in as an organiser, a small day with people in it."""

import pytest
from sqlalchemy import select

from eventapp.platform.extensions import db
from eventapp.platform.staff.models import DeviceToken
from eventapp.questions.models import Question, QuestionKind
from tests.registration.helpers import sign_up


@pytest.fixture
def organiser(client, make_user, login):
    login(*make_user("organiser"))
    return client


@pytest.fixture
def day(app, make_event, make_device):
    """A small event with people in it, and a scanner device; returns ids for building addresses."""
    make_device("Door")
    with app.app_context():
        event = make_event(day_capacity=3, theme=[1, 2], pilot=[3, 3])
        people = [sign_up(event, n, theme=0) for n in range(1, 4)]  # one seat in Theme 0: two wait
        extra = sign_up(event, 4)  # the day is full: waits for the day
        slot = event.agenda_items[1]
        question = Question(
            event_id=event.id, kind=QuestionKind.SHORT_TEXT, label_nl="Dieet", label_en="Diet", sensitive=True
        )
        db.session.add(question)
        db.session.commit()
        return {
            "slug": event.slug,
            "event_id": event.id,
            "slot_id": slot.id,
            "theme0": slot.sessions[0].id,
            "theme1": slot.sessions[1].id,
            "people": [p.id for p in people],
            "day_waiting": extra.id,
            "plenary_id": event.agenda_items[0].id,
            "device_id": db.session.scalar(select(DeviceToken.id)),
            "question_id": question.id,
        }
