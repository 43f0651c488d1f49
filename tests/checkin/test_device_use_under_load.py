"""A desk polls with its device token from several tabs at once: saving the token's last use never fails a call.

On SQLite a read (GET counts) that turned into a write failed at once with "database is locked"
when another writer was busy: the first warm-up of `make bench` answered 500.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import update

from eventapp.platform.extensions import db
from eventapp.platform.staff.models import DeviceToken
from tests.conftest import load_demo
from tests.served import served_app

pytestmark = pytest.mark.both_databases

CALLS = 64


def test_simultaneous_calls_of_one_device_all_answer(app, database_url, tmp_path, make_device):
    slug = load_demo(app)
    token = make_device("Tablet at the door")
    with served_app(database_url, tmp_path / "gunicorn.log", workers=2, threads=8) as base_url:
        for _ in range(3):  # each round starts with a last use long ago, so every call wants to write it
            with app.app_context():
                db.session.execute(update(DeviceToken).values(last_used_at=None))
                db.session.commit()

            def call(_number):
                url = f"{base_url}/api/v1/checkin/counts?event={slug}"
                return requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=60).status_code

            with ThreadPoolExecutor(max_workers=16) as pool:
                statuses = list(pool.map(call, range(CALLS)))
            assert set(statuses) == {200}, (statuses, (tmp_path / "gunicorn.log").read_text()[-2000:])
    with app.app_context():
        assert db.session.scalar(db.select(DeviceToken.last_used_at)) is not None
