"""The hall of both demo mairies on a Monday morning (10:00 in Paris), when every service receives."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accueil.models import Service
from accueil.setup import set_up

MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY_10, tick=False) as traveller:
        yield traveller


@pytest.fixture
def hall19(mairie19, monday):
    set_up(mairie19)
    return {s.slug: s for s in Service.objects.filter(mairie=mairie19)}


@pytest.fixture
def hall20(mairie20, monday):
    set_up(mairie20)
    return {s.slug: s for s in Service.objects.filter(mairie=mairie20)}


@pytest.fixture
def outbox():
    from accueil.sms import ConsoleProvider

    ConsoleProvider.outbox.clear()
    yield ConsoleProvider.outbox
    ConsoleProvider.outbox.clear()
