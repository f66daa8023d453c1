"""Real concurrent requests on PostgreSQL: agents calling next at the same instant never get the same ticket."""

from datetime import time

import pytest
from rest_framework.authtoken.models import Token

from accueil import services
from accueil.models import Counter, OpeningHours, Service, State, Ticket
from accueil.setup import set_up
from tests.concurrency import _post, race
from tests.factories import agent
from tests.factories.demo import seed_demo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_agents_calling_next_at_once_each_get_a_different_ticket(concurrent_server):
    mairie = seed_demo(only=()).mairies["paris19"]  # the default site: it answers at localhost
    set_up(mairie)
    service = Service.objects.get(mairie=mairie, slug="etat-civil")
    OpeningHours.objects.filter(service=service).delete()
    for weekday in range(7):  # open whenever the test runs
        OpeningHours.objects.create(service=service, weekday=weekday, opens=time(0), closes=time(23, 59, 59))
    for number in range(100, 106):
        Counter.objects.create(mairie=mairie, service=service, number=number)
    counters = list(Counter.objects.filter(service=service))  # 9 counters
    for _ in range(6):
        services.ticket_take(service=service)
    tokens = [Token.objects.create(user=agent(mairie)).key for _ in counters]
    calls = [lambda c=c, t=t: _post(f"{concurrent_server.url}/api/accueil/counters/{c.pk}/call-next/", t)
             for c, t in zip(counters, tokens, strict=True)]
    codes = race(calls)
    assert sorted(codes) == [200] * 6 + [409] * 3, codes
    called = Ticket.objects.filter(state=State.CALLED)
    assert called.count() == 6
    assert len(set(called.values_list("counter_id", flat=True))) == 6
