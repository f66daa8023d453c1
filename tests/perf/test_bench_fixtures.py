"""The bench's logged-in sessions are real ones: a cookie made by bench/fixtures.py opens the account page,
and the agent's reaches the admin with the second factor required, as staff do in production."""

import pytest
from django.test import Client

from bench.fixtures import session_cookie
from tests.conftest import HOST19
from tests.factories import agent, resident

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("make", [resident, agent])
def test_a_bench_session_is_logged_in(settings, mairie19, make):
    settings.MFA_REQUIRED_FOR_STAFF = True
    user = make(mairie19, username="bench-user")
    client = Client(HTTP_HOST=HOST19)
    name, value = session_cookie("bench-user").split("=", 1)
    client.cookies[name] = value
    assert client.get("/compte/").status_code == 200
    if make is agent:
        assert client.get("/admin/").status_code == 200
    assert user.pk
