"""Real concurrent requests on PostgreSQL: agents booking the last desk at the same instant, exactly one
gets it (the partial unique constraint on the desk decides)."""

import json
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accueil.models import Booking, CoworkingSpace
from tests.concurrency import race
from tests.factories import agent
from tests.factories.demo import seed_demo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

AGENTS = 8


def _book(url, token, payload):
    request = urllib.request.Request(url, method="POST", data=json.dumps(payload).encode(), headers={
        "Authorization": f"Token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - the test's own live server
            return response.status
    except urllib.error.HTTPError as exc:
        body = json.loads(exc.read() or b"{}")  # every refusal is a JSON error body
        return exc.code, body.get("code")


def test_agents_booking_the_last_desk_at_once_exactly_one_gets_it(concurrent_server):
    ctx = seed_demo(only=())
    mairie19, mairie20 = ctx.mairies["paris19"], ctx.mairies["paris20"]  # the 19e answers at localhost
    space = CoworkingSpace.objects.create(mairie=mairie19, name="Course au dernier poste", capacity=3,
                                          weekdays="0123456")
    day = timezone.localdate() + timedelta(days=1)
    for n in range(2):  # two desks already taken: one is left
        Booking.objects.create(space=space, date=day, half="am", desk=n + 1,
                               user=agent(mairie19, username=f"early{n}"))
    tokens = [Token.objects.create(user=agent(mairie20 if i % 2 else mairie19, username=f"racer{i}")).key
              for i in range(AGENTS)]
    payload = {"space": space.pk, "date": day.isoformat(), "half": "am"}
    url = f"{concurrent_server.url}/api/accueil/coworking/bookings/"
    results = race([lambda t=t: _book(url, t, payload) for t in tokens])
    assert sorted(results, key=str) == sorted([201] + [(409, "full")] * (AGENTS - 1), key=str), results
    assert Booking.objects.filter(space=space, date=day, half="am", cancelled_at__isnull=True).count() == 3
