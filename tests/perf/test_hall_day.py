"""bench/hall_day.py: a day of the hall replayed through the real services and estimator, on a small
scale (120 tickets): every ticket called, finite errors per service, and nothing left in the database."""

import math

import pytest

from accueil.models import Counter, Service, Ticket
from bench import hall_day

pytestmark = pytest.mark.django_db


def test_a_small_day_gives_a_finite_error_per_service_and_leaves_nothing(mairie19):
    services, counters, tickets = Service.objects.count(), Counter.objects.count(), Ticket.objects.count()
    result = hall_day.simulate(mairie=mairie19, tickets=120, counters=20, seed=3)

    assert result["uncalled"] == 0
    assert [row["slug"] for row in result["services"]] == [s[0] for s in hall_day.SERVICES]
    assert sum(row["tickets"] for row in result["services"]) == result["overall"]["tickets"] == 120
    assert sum(row["counters"] for row in result["services"]) == 20
    for row in result["services"]:
        assert row["counters"] >= 1
        if row["tickets"]:
            assert math.isfinite(row["mae_minutes"]) and row["mae_minutes"] >= 0
            assert row["estimated"] == row["tickets"]  # every service always had an open counter
    overall = result["overall"]["mae_minutes"]
    assert math.isfinite(overall) and 0 <= overall < 60
    assert result["overall"]["p90_abs_error_minutes"] >= 0
    # The services learnt their lengths: passages were measured and replayed.
    assert any(row["passages"] and row["passage_mae_minutes"] is not None for row in result["services"])
    # Rolled back: the database is as it was.
    assert (Service.objects.count(), Counter.objects.count(), Ticket.objects.count()) == (services, counters, tickets)

    table = hall_day.text(result)
    for name in (s[1] for s in hall_day.SERVICES):
        assert f"| {name} |" in table
    assert "| **overall** | 20 | 120 |" in table


def test_the_same_seed_gives_the_same_day(mairie19):
    first = hall_day.simulate(mairie=mairie19, tickets=40, counters=8, seed=5)
    second = hall_day.simulate(mairie=mairie19, tickets=40, counters=8, seed=5)
    other = hall_day.simulate(mairie=mairie19, tickets=40, counters=8, seed=6)
    strip = lambda r: {k: v for k, v in r.items() if k != "seconds"}  # noqa: E731
    assert strip(first) == strip(second)
    assert strip(first) != strip(other)


def test_declared_durations_seed_the_estimator(mairie19):
    shipped = hall_day.simulate(mairie=mairie19, tickets=40, counters=8, seed=5)
    real = hall_day.simulate(mairie=mairie19, tickets=40, counters=8, seed=5, declared_real=True)
    assert [r["declared_minutes"] for r in real["services"]] == [max(1, round(s[2])) for s in hall_day.SERVICES]
    assert [r["declared_minutes"] for r in shipped["services"]] == [s[4] for s in hall_day.SERVICES]
    assert real["overall"]["mean_wait_minutes"] == shipped["overall"]["mean_wait_minutes"]  # the same day
    assert real["overall"]["declared_mae_minutes"] != shipped["overall"]["declared_mae_minutes"]
    assert "declared durations real means" in hall_day.text(real)


def test_counters_are_shared_by_load_with_one_at_least():
    assert hall_day.allocate(20, [5.4, 3.2, 2.3, 2.5, 0.8, 2.1]) == [7, 4, 3, 3, 1, 2]
    assert hall_day.allocate(6, [100, 1, 1, 1, 1, 1]) == [1, 1, 1, 1, 1, 1]
    with pytest.raises(ValueError):
        hall_day.allocate(5, [1] * 6)
