"""The estimator: an exponentially weighted mean of recent passages, times position over open counters."""

from datetime import timedelta

import pytest

from accueil import estimate, services
from accueil.models import Counter, State, Ticket

pytestmark = pytest.mark.django_db


def test_ewma_weighs_recent_passages_more():
    assert estimate.ewma([], seed=6) == 6
    assert estimate.ewma([10], seed=6) == pytest.approx(0.3 * 10 + 0.7 * 6)
    assert estimate.ewma([2, 10], seed=6) > estimate.ewma([10, 2], seed=6)


def test_wait_is_position_times_mean_over_open_counters():
    assert estimate.wait_minutes(4, 6.0, 2) == 12
    assert estimate.wait_minutes(1, 0.2, 3) == 1  # never below a minute
    assert estimate.wait_minutes(3, 6.0, 0) is None  # no counter open: no estimate


def _served(service, counter, called, minutes):
    seq = Ticket.objects.filter(service=service, day=called.date()).count() + 1
    Ticket.objects.create(mairie_id=service.mairie_id, service=service, day=called.date(), seq=seq,
                          number=f"{service.letter}{seq:03d}", state=State.SERVED, counter=counter,
                          queued_at=called, called_at=called, closed_at=called + timedelta(minutes=minutes))


def test_the_mean_follows_measured_passages_and_ignores_absences(hall19, agent19, monday):
    civil = hall19["etat-civil"]
    counter = civil.counters.first()
    assert estimate.mean_minutes(civil) == civil.default_minutes
    from django.utils import timezone

    start = timezone.now() - timedelta(hours=2)
    for i in range(10):
        _served(civil, counter, start + timedelta(minutes=3 * i), 2)
    assert estimate.mean_minutes(civil) == pytest.approx(estimate.ewma([2] * 10, seed=civil.default_minutes))
    services.ticket_take(service=civil)
    absent = services.ticket_call_next(counter=counter, user=agent19)
    monday.shift(timedelta(minutes=30))
    services.ticket_mark_absent(ticket=absent, user=agent19)
    assert estimate.mean_minutes(civil) == pytest.approx(estimate.ewma([2] * 10, seed=civil.default_minutes))


def test_passages_of_the_same_hour_are_preferred_when_there_are_enough(hall19, monday):
    from django.utils import timezone

    civil = hall19["etat-civil"]
    counter = civil.counters.first()
    now = timezone.now()  # 10:00
    for i in range(6):  # yesterday at 10:xx, long passages
        _served(civil, counter, now - timedelta(days=1) + timedelta(minutes=5 * i), 20)
    for i in range(6):  # this morning at 8:xx, short ones
        _served(civil, counter, now - timedelta(hours=2) + timedelta(minutes=5 * i), 2)
    assert estimate.recent_durations(civil) == [20.0] * 6


def test_service_waits_count_waiting_people_and_open_counters(hall19):
    from accueil.selectors import service_waits

    civil = hall19["etat-civil"]
    for _ in range(4):
        services.ticket_take(service=civil)
    Counter.objects.filter(service=civil).exclude(pk=civil.counters.first().pk).update(is_open=False)
    wait = next(w for w in service_waits(civil.mairie) if w.service == civil)
    assert (wait.waiting, wait.open_counters, wait.is_open) == (4, 1, True)
    assert wait.estimate == estimate.wait_minutes(5, civil.default_minutes, 1)


def test_the_replay_error_predicts_each_passage_from_those_before(hall19):
    from django.utils import timezone

    civil = hall19["etat-civil"]  # seed: 8 minutes
    counter = civil.counters.first()
    start = timezone.now() - timedelta(hours=3)
    for i, minutes in enumerate((10, 4)):
        _served(civil, counter, start + timedelta(minutes=20 * i), minutes)
    error, count = estimate.replay_error(civil)
    second_prediction = 0.3 * 10 + 0.7 * 8
    assert count == 2 and error == pytest.approx((abs(10 - 8) + abs(4 - second_prediction)) / 2)
    assert estimate.replay_error(hall19["casvp"]) == (None, 0)
