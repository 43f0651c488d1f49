"""What the organiser tests share: a test client logged in as an organiser."""

import pytest


@pytest.fixture
def organiser(client, make_user, login):
    login(*make_user("organiser"))
    return client
