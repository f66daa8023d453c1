"""Invariants under real concurrency (PostgreSQL, real threads, one connection each)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from cms.errors import Conflict
from hackathon import services
from hackathon.models import Draw, Registration
from tests.concurrency import race
from tests.factories import resident
from tests.factories.hackathon import issue_with_complaints

from .conftest import NOW, SOURCE

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PUBLIC_AT = NOW + dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW) as traveller:  # ticking: the threads see the same clock
        yield traveller


def _open(organiser, mairie):
    return services.draw_open(actor=organiser, mairie=mairie, entropy_source=SOURCE, entropy_available_at=PUBLIC_AT)


def test_one_draw_per_mairie_and_month_under_concurrency(mairie19, organiser19):
    issue_with_complaints(mairie19, 3)
    issue_with_complaints(mairie19, 4)
    results = race([lambda: _open(organiser19, mairie19)] * 6, atomic=True)
    opened = [r for r in results if isinstance(r, Draw)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(opened) == 1 and len(refused) == 5, results
    assert Draw.objects.filter(mairie=mairie19).count() == 1


def test_a_draw_runs_once_under_concurrency(mairie19, organiser19, clock):
    issue_with_complaints(mairie19, 3)
    draw = _open(organiser19, mairie19)
    clock.move_to(PUBLIC_AT + dt.timedelta(minutes=1))
    values = [f"{i} 2 3 4 5" for i in range(5)]
    results = race([lambda v=v: services.draw_run(actor=organiser19, draw=draw, entropy_value=v) for v in values],
                   atomic=True)
    assert sum(isinstance(r, Draw) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) for r in results) == 4
    stored = Draw.objects.get(pk=draw.pk)
    assert stored.entropy_value in values and services.draw_verify(stored)["matches"]


def test_capacity_holds_when_everyone_registers_at_once(mairie19, organiser19, clock):
    issue_with_complaints(mairie19, 3)
    draw = _open(organiser19, mairie19)
    clock.move_to(PUBLIC_AT + dt.timedelta(minutes=1))
    draw = services.draw_run(actor=organiser19, draw=draw, entropy_value="1 2 3 4 5")
    start = timezone.now() + dt.timedelta(days=10)
    session = services.session_create(actor=organiser19, draw=draw, title="Hackathon", starts_at=start,
                                      ends_at=start + dt.timedelta(hours=8), place="Salle des fêtes", capacity=3)
    people = [resident(mairie19, username=f"r{i}") for i in range(8)]
    results = race([lambda u=u: services.session_register(user=u, session=session) for u in people], atomic=True)
    assert all(isinstance(r, Registration) for r in results), results
    assert Registration.objects.filter(session=session, status="confirmed").count() == 3
    assert Registration.objects.filter(session=session, status="waiting").count() == 5
