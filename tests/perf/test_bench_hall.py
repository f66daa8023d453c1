"""The hall's scenarios of `make bench` (issue 21): the checks bench/run.py makes after taking tickets
and calling next under load, the report's refusals (inexact counts, a ticket called twice, a drained
queue counted apart), the hall screen at 50 screens against the baseline at the same concurrency, and
the fixtures that prepare the hall on a real database. Figures are made up here; nothing is timed."""

import pytest
from rest_framework.test import APIClient

from bench import fixtures, report
from bench import run as harness
from tests.perf.test_bench_report import entry, results, run


def counts(take_rows=0, take_top=None, called=0, waiting=0, called_counters=None):
    return {"banc-tickets": {"rows": take_rows, "numbers": take_rows, "top": take_top if take_top is not None
                             else (take_rows or None), "states": {"waiting": take_rows}, "called_counters": 0},
            "banc-appels": {"rows": called + waiting, "numbers": called + waiting, "top": called + waiting,
                            "states": {"called": called, "waiting": waiting},
                            "called_counters": called if called_counters is None else called_counters}}


def hall_run(rps, statuses, given=None, twice=0, codes=None):
    figures = run(rps, statuses=statuses)
    ok = sum(v for k, v in statuses.items() if k.startswith("2"))
    figures["hall"] = {"given": ok if given is None else given, "given_twice": twice, "counters_reused": 0}
    figures["codes"] = codes or {}
    return figures


# --- the checks after a measure ------------------------------------------------------------------


def test_taking_is_exact_when_each_2xx_made_one_ticket_plus_those_in_flight():
    good = hall_run(100, {"201": 300})
    exact = harness.check_hall_take(counts(take_rows=10), counts(take_rows=315), good, 8)
    assert exact["ok"] and exact["created"] == 305 and exact["in_flight_at_stop"] == 5
    # More tickets than answers and requests in flight: a ticket was made twice (or half-saved).
    exact = harness.check_hall_take(counts(take_rows=10), counts(take_rows=320), good, 8)
    assert not exact["ok"] and "310 tickets created for 300 2xx answers" in exact["why"]
    # Fewer: an answer without its ticket.
    assert not harness.check_hall_take(counts(take_rows=10), counts(take_rows=309), good, 8)["ok"]
    # A number given to two residents (in the answers), or numbers that are not 1..n.
    twice = hall_run(100, {"201": 300}, twice=1)
    assert "1 numbers given to two residents" in harness.check_hall_take(
        counts(take_rows=10), counts(take_rows=310), twice, 8)["why"]
    gap = harness.check_hall_take(counts(take_rows=10), counts(take_rows=310, take_top=311), good, 8)
    assert not gap["ok"] and "not 1..310 once each" in gap["why"][0]


def test_calling_next_is_exact_only_when_no_ticket_went_to_two_counters():
    good = hall_run(100, {"200": 200})
    exact = harness.check_hall_call(counts(waiting=1000), counts(called=204, waiting=796), good, 8)
    assert exact["ok"] and exact["called"] == 204 and exact["empty_queue"] == 0
    twice = hall_run(100, {"200": 200}, twice=2)
    exact = harness.check_hall_call(counts(waiting=1000), counts(called=204, waiting=796), twice, 8)
    assert not exact["ok"] and "2 tickets given to two counters" in exact["why"]
    # The database says how many were called: one more than the answers and requests in flight allow.
    exact = harness.check_hall_call(counts(waiting=1000), counts(called=209, waiting=791), good, 8)
    assert not exact["ok"] and "209 tickets called for 200 2xx answers" in exact["why"]


def test_an_empty_queue_is_counted_apart_only_when_it_was_really_drained():
    statuses = {"200": 50, "409": 30}
    drained = harness.check_hall_call(counts(waiting=52), counts(called=52, waiting=0),
                                      hall_run(80, statuses, codes={"empty_queue": 30}), 8)
    assert drained["ok"] and drained["empty_queue"] == drained["empty_queue_excused"] == 30
    not_drained = harness.check_hall_call(counts(waiting=500), counts(called=52, waiting=448),
                                          hall_run(80, statuses, codes={"empty_queue": 30}), 8)
    assert not not_drained["ok"] and not_drained["empty_queue_excused"] == 0
    assert "30 empty-queue answers while 448 tickets waited" in not_drained["why"]


# --- the report ----------------------------------------------------------------------------------


def test_the_hall_screen_at_50_screens_has_its_ratio_to_the_baseline_at_50():
    baseline = entry("bare Django application", "baseline", {1: run(1000), 8: run(1000), 50: run(800)})
    screen = entry("hall screen data", "api", {1: run(500), 8: run(600), 50: run(400)})
    data = results({"django": baseline, "hall_screen": screen})
    data["config"]["hall_screens"] = 50
    text = report.render(data)
    assert "| hall screen data | anonymous | ? | 50 | 400.0 | 1.0 | 2.0 | 3.0 | 0.500 | 0 |" in text
    assert "| bare Django application | anonymous | 0 | 50 | 800.0 |" in text
    assert "also at 50: as many screens polling at once" in text
    # Without the baseline at 50, no ratio there.
    del baseline["runs"][50]
    assert "| 50 | 400.0 | 1.0 | 2.0 | 3.0 | no ratio: the bare Django baseline is missing at c=50 |" in (
        report.render(data))


def test_the_report_refuses_inexact_hall_counts_and_says_why():
    baseline = entry("bare Django application", "baseline", {1: run(1000), 8: run(1000)})
    take_ok = hall_run(50, {"201": 150})
    take_ok["exact"] = harness.check_hall_take(counts(), counts(take_rows=151), take_ok, 1)
    take_bad = hall_run(60, {"201": 180})
    take_bad["exact"] = harness.check_hall_take(counts(), counts(take_rows=200), take_bad, 8)
    call_twice = hall_run(70, {"200": 210}, twice=1)
    call_twice["exact"] = harness.check_hall_call(counts(waiting=900), counts(called=210, waiting=690), call_twice, 8)
    call_ok = hall_run(40, {"200": 120})
    call_ok["exact"] = harness.check_hall_call(counts(waiting=900), counts(called=120, waiting=780), call_ok, 1)
    scenarios = {"django": baseline,
                 "hall_take": entry("take a ticket", "hall_take", {1: take_ok, 8: take_bad}),
                 "hall_call": entry("call next", "hall_call", {1: call_ok, 8: call_twice})}
    text = report.render(results(scenarios))
    assert "| take a ticket | anonymous | ? | 1 | 50.0 | 1.0 | 2.0 | 3.0 | 0.050 | 0 |" in text
    assert "no ratio: counts not exact (200 tickets created for 180 2xx answers)" in text
    assert "no ratio: counts not exact (1 tickets given to two counters)" in text
    assert "| call next | anonymous | ? | 1 | 40.0 | 1.0 | 2.0 | 3.0 | 0.040 | 0 |" in text
    assert "Tickets taken at c=8: 180 answered 2xx" in text and "counts exact: **NO**" in text
    assert "Call next at c=8: 210 answered 2xx" in text and "the same ticket in two answers: 1 times" in text
    # No goal for the hall (issue 22's goals are the participatory pages'): no goal row.
    assert not [line for line in text.splitlines() if line.startswith("| ≥") and "call next" in line]


def test_a_drained_queue_is_no_error_but_gives_no_ratio():
    baseline = entry("bare Django application", "baseline", {1: run(1000), 8: run(1000)})
    drained = hall_run(80, {"200": 50, "409": 30}, codes={"empty_queue": 30})
    drained["exact"] = harness.check_hall_call(counts(waiting=52), counts(called=52, waiting=0), drained, 8)
    text = report.render(results({"django": baseline, "hall_call": entry("call next", "hall_call", {8: drained})}))
    row = next(line for line in text.splitlines() if line.startswith("| call next |"))
    assert row.endswith("| 0 |")  # the 30 empty-queue answers are not counted as non-2xx
    assert "no ratio: the queue was drained (30 empty-queue answers, counted apart, not errors" in row
    assert "counts not exact" not in row
    assert "empty-queue answers: 30 (0 tickets still waiting after the measure: drained, counted apart)" in text


def test_the_hall_day_has_its_own_section():
    day = {"day": "2026-11-17", "seed": 21, "tickets": 10, "counters": 2, "last_call": "09:10", "seconds": 0.1,
           "uncalled": 0, "services": [
               {"service": "État civil", "slug": "etat-civil", "counters": 2, "tickets": 10, "real_mean_minutes": 5.0,
                "declared_minutes": 8, "passages": 9, "mean_wait_minutes": 4.0, "max_wait_minutes": 9.0,
                "estimated": 10, "mae_minutes": 1.5, "bias_minutes": 0.5, "p90_abs_error_minutes": 3.0,
                "declared_mae_minutes": 4.0, "passage_mae_minutes": 2.0}],
           "overall": {"tickets": 10, "counters": 2, "mean_wait_minutes": 4.0, "max_wait_minutes": 9.0,
                       "estimated": 10, "mae_minutes": 1.5, "bias_minutes": 0.5, "p90_abs_error_minutes": 3.0,
                       "declared_mae_minutes": 4.0}}
    data = results({"django": entry("bare Django application", "baseline", {1: run(1000), 8: run(1000)})})
    data["hall_day"] = day
    text = report.render(data)
    assert "## A day of one mairie replayed in simulation (bench/hall_day.py)" in text
    assert "| État civil | 2 | 10 | 5.0 | 8 | 4.00 | 9.00 | 1.50 | 0.50 | 3.00 | 4.00 | 2.00 |" in text
    assert "| **overall** | 2 | 10 | | | 4.00 | 9.00 | **1.50** |" in text


# --- the fixtures, on a real database ------------------------------------------------------------


@pytest.mark.django_db
def test_the_fixtures_prepare_a_hall_whose_calls_check_exact(site_ctx):
    hall = fixtures.hall_prepare(4, 2, 2)
    assert hall["host"] == "paris20.localhost" and len(hall["counters"]) == 4
    assert fixtures.hall_prepare(4, 1, 1)["counters"] == hall["counters"]  # idempotent: no counter added
    assert fixtures.hall_queue(3) == {"released": 0, "added": 3, "waiting": 3}
    before = fixtures.hall_counts()
    agent = APIClient(HTTP_HOST=hall["host"])
    agent.credentials(HTTP_AUTHORIZATION=f"Token {hall['agent_tokens'][0]}")
    answers = [agent.post(f"/api/accueil/counters/{pk}/call-next/") for pk in hall["counters"]]
    assert [a.status_code for a in answers] == [200, 200, 200, 409]
    assert answers[3].json()["code"] == "empty_queue"
    resident = APIClient(HTTP_HOST=hall["host"])
    resident.credentials(HTTP_AUTHORIZATION=f"Token {hall['resident_tokens'][0]}")
    taken = [resident.post("/api/accueil/tickets/", {"service": hall["take_service"]}, format="json")
             for _ in range(2)]
    assert [t.status_code for t in taken] == [201, 201]
    after = fixtures.hall_counts()

    ids = {a.json()["id"] for a in answers[:3]}
    call = hall_run(3, {"200": 3, "409": 1}, given=len(ids), twice=3 - len(ids), codes={"empty_queue": 1})
    exact = harness.check_hall_call(before, after, call, 1)
    assert exact["ok"] and exact["called"] == 3 and exact["empty_queue_excused"] == 1
    take = hall_run(2, {"201": 2})
    assert harness.check_hall_take(before, after, take, 1)["ok"]
    # Between measures the called tickets are released and the taking queue emptied.
    assert fixtures.hall_queue(0)["released"] == 3
    released = fixtures.hall_counts()
    assert released["banc-appels"]["states"].get("called", 0) == 0
    assert released["banc-tickets"]["states"].get("waiting", 0) == 0


def test_a_failed_simulation_says_so():
    data = results({"django": entry("bare Django application", "baseline", {1: run(1000), 8: run(1000)})})
    data["hall_day"] = {"error": "bench/fixtures.py hall-day failed", "database": "sqlite"}
    assert "**Not available**: bench/fixtures.py hall-day failed" in report.render(data)
