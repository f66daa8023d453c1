"""Open Bricolage's seats under real concurrent requests (PostgreSQL, a threaded server, one
connection per request): agents of two mairies asking for a workshop's last seat at the same instant
get one seat and the waiting list, never more seats than the capacity; one agent's double click gets
one registration and a 409; two cancellations at once promote the two first waiting, in order."""

import json
import urllib.error
import urllib.request

import pytest
from rest_framework.authtoken.models import Token

from bricolages.models import Registration
from bricolages.openbricolage import services
from tests.concurrency import race
from tests.factories import agent
from tests.factories.bricolages import bricolage
from tests.factories.openbricolage import edition, workshop

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Status = Registration.Status
AGENTS = 8


def _post(url, token, payload):
    request = urllib.request.Request(url, method="POST", data=json.dumps(payload).encode(), headers={
        "Authorization": f"Token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - the test's own live server
            return response.status, json.loads(response.read())["status"]
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}").get("code")


@pytest.fixture
def day(organiser19):
    return edition(organiser19, capacity=1)


@pytest.fixture
def last_seat(organiser19, day, agent19):
    return workshop(organiser19, day, bricolage(agent19, title="Tableur des rendez-vous"), capacity=1)


def _people(mairie19, mairie20, prefix, n=AGENTS):
    return [agent(mairie20 if i % 2 else mairie19, username=f"{prefix}{i}") for i in range(n)]


def test_agents_asking_for_the_last_workshop_seat_at_once_get_one_seat(concurrent_server, day, last_seat,
                                                                       mairie19, mairie20):
    people = _people(mairie19, mairie20, "ob-race")
    tokens = [Token.objects.create(user=u).key for u in people]
    url = f"{concurrent_server.url}/api/bricolages/open-bricolage/editions/{day.pk}/register/"
    results = race([lambda t=t: _post(url, t, {"workshop": last_seat.pk}) for t in tokens])
    assert sorted(results) == sorted([(201, "confirmed")] + [(201, "waiting")] * (AGENTS - 1)), results
    assert Registration.objects.filter(workshop=last_seat, status=Status.CONFIRMED).count() == 1
    assert Registration.objects.filter(workshop=last_seat, status=Status.WAITING).count() == AGENTS - 1


def test_agents_asking_for_the_last_seat_of_the_day_at_once_get_one_seat(concurrent_server, day, mairie19,
                                                                         mairie20):
    people = _people(mairie19, mairie20, "ob-day")
    tokens = [Token.objects.create(user=u).key for u in people]
    url = f"{concurrent_server.url}/api/bricolages/open-bricolage/editions/{day.pk}/register/"
    results = race([lambda t=t: _post(url, t, {"first_time": True}) for t in tokens])
    assert sorted(results) == sorted([(201, "confirmed")] + [(201, "waiting")] * (AGENTS - 1)), results
    assert Registration.objects.filter(edition=day, workshop=None, status=Status.CONFIRMED).count() == 1


def test_one_agent_s_double_click_registers_once(concurrent_server, day, last_seat, agent20):
    token = Token.objects.create(user=agent20).key
    url = f"{concurrent_server.url}/api/bricolages/open-bricolage/editions/{day.pk}/register/"
    results = race([lambda: _post(url, token, {"workshop": last_seat.pk})] * 4)
    assert sorted(results) == [(201, "confirmed")] + [(409, "already_registered")] * 3, results
    assert Registration.objects.filter(agent=agent20).count() == 1


def test_two_cancellations_at_once_promote_the_two_first_waiting(concurrent_server, organiser19, day, agent19,
                                                                mairie20):
    two_seats = workshop(organiser19, day, bricolage(agent19, title="Tableur des congés"), capacity=2)
    people = _people(mairie20, mairie20, "ob-cancel", n=5)
    for user in people:
        services.registration_create(user=user, edition=day, workshop=two_seats)
    tokens = [Token.objects.create(user=u).key for u in people[:2]]
    url = f"{concurrent_server.url}/api/bricolages/open-bricolage/editions/{day.pk}/cancel/"
    results = race([lambda t=t: _post(url, t, {}) for t in tokens])
    assert results == [(200, "cancelled")] * 2, results
    statuses = dict(Registration.objects.filter(workshop=two_seats).values_list("agent__username", "status"))
    assert statuses == {"ob-cancel0": "cancelled", "ob-cancel1": "cancelled", "ob-cancel2": "confirmed",
                        "ob-cancel3": "confirmed", "ob-cancel4": "waiting"}
