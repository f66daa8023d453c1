"""Real concurrent requests on PostgreSQL: a neighbour asking five ambassadors for help at the same instant
gets exactly the three open requests the limit allows (their account's row, locked, serialises them)."""

import json
import urllib.error
import urllib.request

import pytest
from rest_framework.authtoken.models import Token

from accueil.ambassadeurs import services
from accueil.ambassadeurs.models import HelpRequest
from accueil.ambassadeurs.services import MAX_OPEN_REQUESTS
from tests.concurrency import race
from tests.factories import organiser, resident
from tests.factories.demo import seed_demo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

AMBASSADORS = 5


def _ask(url, token, ambassador_id):
    payload = {"ambassador": ambassador_id, "subject": "Un coup de main", "message": "Bonjour"}
    request = urllib.request.Request(url, method="POST", data=json.dumps(payload).encode(), headers={
        "Authorization": f"Token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - the test's own live server
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}").get("code")


def test_a_neighbour_asking_five_ambassadors_at_once_gets_three_requests(concurrent_server):
    ctx = seed_demo(only=())
    mairie = ctx.mairies["paris19"]  # the 19e answers at localhost
    boss = organiser(mairie, username="orga-race")
    ambassadors = []
    for n in range(AMBASSADORS):
        applied = services.ambassador_apply(user=resident(mairie, username=f"amb-race{n}"), mairie=mairie,
                                            public_name=f"Ambassadeur {n}", languages="français",
                                            help_with="Un peu de tout.")
        ambassadors.append(services.ambassador_decide(ambassador=applied, user=boss, accept=True))
    neighbour = resident(mairie, username="voisine-pressee")
    token = Token.objects.create(user=neighbour).key
    url = f"{concurrent_server.url}/api/accueil/help-requests/"
    results = race([lambda a=a: _ask(url, token, a.pk) for a in ambassadors])
    assert sorted(results, key=str) == sorted([201] * MAX_OPEN_REQUESTS
                                              + [(409, "too_many_open")] * (AMBASSADORS - MAX_OPEN_REQUESTS),
                                              key=str), results
    assert HelpRequest.objects.filter(neighbour=neighbour, closed_at__isnull=True).count() == MAX_OPEN_REQUESTS
