"""A day of one mairie's hall replayed in simulation (issue 21): how far the wait shown to a resident
when they take a ticket is from the wait they then have.

    .venv/bin/python bench/hall_day.py                      # 2,000 tickets, 6 services, 20 counters
    .venv/bin/python bench/hall_day.py --tickets 200 --seed 7 --json

The day runs through the hall's real code, in process (no HTTP), on simulated time (no sleep):
`accueil.services` takes each ticket at the kiosk (`ticket_take`), calls (`ticket_call_next`), marks
served or absent and opens or closes counters, each with `now=` the simulated moment; the estimate is
the one the ticket's page shows, `accueil.selectors.ticket_status` (position, open counters and the
EWMA of `accueil/estimate.py`, read from the day's rows). Everything is written in one transaction that
is rolled back at the end: the database is left as it was (the mairie it runs in only lends its id).

The model (seeded random, `random.Random(seed)`):
- the day: a Tuesday, tickets taken from 8:30 to 16:30, arrivals drawn from a profile with peaks from
  9:00 to 11:00 and from 14:00 to 16:00 (1.4 × the mean rate) and a lull from 12:00 to 14:00 (0.6 ×);
  agents call until the queue is empty;
- six services (below), each ticket's service drawn by its share; the 20 counters shared among them
  in proportion to their load (at least one each);
- a passage's length: log-normal around the service's mean (coefficient of variation 0.6), 10 % longer
  in the morning and 10 % shorter after 14:00 (the mix of démarches changes over the day);
- 6 % of residents called do not come: the agent waits one minute, then marks them absent;
- lunch: from 12:00 to 13:30 a service with three counters or more closes one (the estimate divides by
  the open counters);
- each service starts the day without measured passages: its estimate starts from its declared
  `default_minutes`, longer than the real mean, as a service new to the platform would
  (`--declared-real`: its real mean, rounded).

Reported per service and overall: the estimator's mean absolute error (MAE) on the wait, in minutes
(the estimate rounded up to the minute as shown, against the time from taking the ticket to being
called), its mean signed error (bias: positive = the estimate was too long), the 90th percentile of the
absolute error, the MAE of the same formula with the declared durations only (no learning: what the
EWMA buys), and the MAE of the passage-length estimate (`estimate.replay_error`).
"""

import argparse
import heapq
import json
import math
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# slug, name, real mean minutes, share of the tickets, declared default_minutes
SERVICES = [
    ("etat-civil", "État civil", 5.0, 0.26, 8),
    ("affaires-generales", "Affaires générales", 3.5, 0.22, 6),
    ("titres", "Titres d'identité (remise)", 2.5, 0.22, 5),
    ("casvp", "CASVP", 6.0, 0.10, 12),
    ("elections", "Élections et recensement", 2.0, 0.10, 4),
    ("urbanisme", "Urbanisme", 4.0, 0.10, 10),
]
DAY = date(2026, 11, 17)  # a Tuesday
OPENS, LAST_TICKET, CLOSES = (8, 30), (16, 30), (17, 0)
LUNCH = ((12, 0), (13, 30))
CV = 0.6
ABSENT_SHARE = 0.06
ABSENT_MINUTES = 1.0


def rate_factor(minute_of_day: float) -> float:
    """The arrival profile: peaks in the morning and the afternoon, a lull at lunch."""
    hour = minute_of_day / 60
    if 9 <= hour < 11 or 14 <= hour < 16:
        return 1.4
    if 12 <= hour < 14:
        return 0.6
    return 1.0


def length_factor(minute_of_day: float) -> float:
    hour = minute_of_day / 60
    return 1.1 if hour < 12 else (0.9 if hour >= 14 else 1.0)


def allocate(total: int, loads: list[float]) -> list[int]:
    """`total` counters shared in proportion to `loads` (largest remainder), at least one each."""
    if total < len(loads):
        raise ValueError("at least one counter per service")
    whole = sum(loads)
    quotas = [total * load / whole for load in loads]
    counts = [max(1, math.floor(q)) for q in quotas]
    while sum(counts) < total:
        counts[max(range(len(loads)), key=lambda i: quotas[i] - counts[i])] += 1
    while sum(counts) > total:
        counts[min((i for i in range(len(loads)) if counts[i] > 1), key=lambda i: quotas[i] - counts[i])] -= 1
    return counts


def arrivals(rng: random.Random, tickets: int) -> list[tuple[float, int]]:
    """(minute of the day, service index) of each ticket, in time order."""
    start, end = OPENS[0] * 60 + OPENS[1], LAST_TICKET[0] * 60 + LAST_TICKET[1]
    slots = list(range(start, end, 5))
    weights = [rate_factor(s) for s in slots]
    shares = [s[3] for s in SERVICES]
    out = [(rng.choices(slots, weights)[0] + rng.random() * 5, rng.choices(range(len(SERVICES)), shares)[0])
           for _ in range(tickets)]
    return sorted(out)


def passage_minutes(rng: random.Random, mean: float) -> float:
    sigma2 = math.log(1 + CV**2)
    return rng.lognormvariate(math.log(mean) - sigma2 / 2, math.sqrt(sigma2))


def _free_letters(mairie):
    from accueil.models import Service

    used = set(Service.objects.filter(mairie=mairie).values_list("letter", flat=True))
    return [c for c in "ABCDFHIJKLMNOPQRTUVWXYZ" if c not in used]


def _agent(mairie):
    from django.contrib.auth.models import Group

    from cms import roles
    from cms.models import User

    user = User.objects.create(username=f"simulation-guichet-{mairie.pk}", mairie=mairie, email_confirmed=True,
                               display_name="Simulation")
    user.groups.add(Group.objects.get_or_create(name=roles.AGENTS)[0])
    return User.objects.get(pk=user.pk)  # no cached role names


def simulate(*, mairie, tickets: int = 2000, counters: int = 20, seed: int = 21, declared_real: bool = False) -> dict:
    """The day, in a transaction rolled back at the end. Returns the figures (see the module's doc).
    `declared_real`: each service declares its real mean (rounded) instead of SERVICES' longer figure."""
    from django.db import transaction

    started = time.monotonic()
    with transaction.atomic():
        result = _simulate(mairie, tickets, counters, seed, declared_real)
        transaction.set_rollback(True)
    result["seconds"] = round(time.monotonic() - started, 1)
    return result


def _simulate(mairie, tickets, counter_total, seed, declared_real):  # noqa: C901, PLR0915 - one event loop, read top to bottom
    from datetime import time as clock
    from zoneinfo import ZoneInfo

    from django.conf import settings

    from accueil import selectors, services
    from accueil.estimate import replay_error, wait_minutes
    from accueil.models import Counter, OpeningHours, Service
    from cms.errors import Conflict

    rng = random.Random(seed)
    zone = ZoneInfo(settings.TIME_ZONE)
    midnight = datetime(DAY.year, DAY.month, DAY.day, tzinfo=zone)

    def at(minute):
        return midnight + timedelta(minutes=minute)

    agent = _agent(mairie)
    letters = _free_letters(mairie)
    if len(letters) < len(SERVICES):
        raise RuntimeError("not enough free ticket letters in this mairie for the simulation's services")
    number = (Counter.objects.filter(mairie=mairie).order_by("-number").values_list("number", flat=True).first()
              or 0)
    base_rate = tickets / ((LAST_TICKET[0] * 60 + LAST_TICKET[1]) - (OPENS[0] * 60 + OPENS[1]))
    counts = allocate(counter_total, [base_rate * share * mean for _s, _n, mean, share, _d in SERVICES])
    svc_objs, desks = [], []  # desks: [counter, service index, open, busy]
    for index, ((slug, name, mean, _share, declared), letter) in enumerate(zip(SERVICES, letters, strict=False)):
        declared = max(1, round(mean)) if declared_real else declared
        service = Service.objects.create(mairie=mairie, slug=f"simulation-{slug}", name=name, letter=letter,
                                         position=100 + index, default_minutes=declared)
        OpeningHours.objects.create(service=service, weekday=DAY.weekday(), opens=clock(*OPENS), closes=clock(*CLOSES))
        service = Service.objects.prefetch_related("hours").get(pk=service.pk)
        svc_objs.append(service)
        for _ in range(counts[index]):
            number += 1
            counter = Counter.objects.create(mairie=mairie, service=service, number=number)
            counter.mairie = mairie
            desks.append({"counter": counter, "service": index, "open": True, "busy": None})

    events, order = [], 0

    def push(minute, kind, payload):
        nonlocal order
        order += 1
        heapq.heappush(events, (minute, order, kind, payload))

    for minute, index in arrivals(rng, tickets):
        push(minute, "arrive", index)
    lunch_start, lunch_end = (LUNCH[0][0] * 60 + LUNCH[0][1]), (LUNCH[1][0] * 60 + LUNCH[1][1])
    for index in range(len(SERVICES)):
        own = [d for d in desks if d["service"] == index]
        if len(own) >= 3:
            push(lunch_start, "close", own[-1])
            push(lunch_end, "open", own[-1])

    records = {}  # ticket pk -> figures
    waiting = [0] * len(SERVICES)  # kept beside the database's: no call on an empty queue

    def call(desk, minute):
        if not waiting[desk["service"]]:
            return  # nobody waits: the counter idles until the next arrival
        try:
            ticket = services.ticket_call_next(counter=desk["counter"], user=agent, now=at(minute))
        except Conflict as exc:
            raise RuntimeError(f"the simulation and the queue disagree: {exc}") from exc
        waiting[desk["service"]] -= 1
        ticket.mairie = mairie
        records[ticket.pk]["called"] = minute
        desk["busy"] = ticket
        if rng.random() < ABSENT_SHARE:
            push(minute + ABSENT_MINUTES, "done", (desk, "absent"))
        else:
            mean = SERVICES[desk["service"]][2] * length_factor(minute)
            push(minute + passage_minutes(rng, mean), "done", (desk, "served"))

    def open_counters(index):
        return sum(1 for d in desks if d["service"] == index and d["open"])

    while events:
        minute, _order, kind, payload = heapq.heappop(events)
        if kind == "arrive":
            index = payload
            ticket = services.ticket_take(service=svc_objs[index], channel="kiosk", now=at(minute))
            status = selectors.ticket_status(ticket, now=at(minute))
            declared = wait_minutes(status.position, svc_objs[index].default_minutes, open_counters(index))
            waiting[index] += 1
            records[ticket.pk] = {"service": index, "taken": minute, "estimate": status.estimate,
                                  "declared": declared, "called": None}
            idle = next((d for d in desks if d["service"] == index and d["open"] and d["busy"] is None), None)
            if idle is not None:
                call(idle, minute)
        elif kind == "done":
            desk, outcome = payload
            mark = services.ticket_mark_served if outcome == "served" else services.ticket_mark_absent
            mark(ticket=desk["busy"], user=agent, now=at(minute))
            desk["busy"] = None
            if desk["open"]:
                call(desk, minute)
        elif kind in ("close", "open"):
            desk = payload
            desk["open"] = kind == "open"
            services.counter_set_open(counter=desk["counter"], user=agent, is_open=desk["open"])
            if desk["open"] and desk["busy"] is None:
                call(desk, minute)
    end_minute = minute

    rows, all_errors = [], {"wait": [], "signed": [], "declared": []}
    for index, (slug, name, mean, _share, _declared) in enumerate(SERVICES):
        declared = svc_objs[index].default_minutes
        mine = [r for r in records.values() if r["service"] == index]
        waits = [r["called"] - r["taken"] for r in mine]
        errors = [r["estimate"] - (r["called"] - r["taken"]) for r in mine if r["estimate"] is not None]
        declared_errors = [abs(r["declared"] - (r["called"] - r["taken"])) for r in mine
                           if r["declared"] is not None]
        passage_mae, passages = replay_error(svc_objs[index], now=at(end_minute + 1))
        all_errors["wait"] += [abs(e) for e in errors]
        all_errors["signed"] += errors
        all_errors["declared"] += declared_errors
        rows.append({"service": name, "slug": slug, "counters": counts[index], "tickets": len(mine),
                     "real_mean_minutes": mean, "declared_minutes": declared, "passages": passages,
                     **_figures(waits, errors, declared_errors), "passage_mae_minutes": _round(passage_mae)})
    all_waits = [r["called"] - r["taken"] for r in records.values()]
    overall = {"tickets": len(records), "counters": sum(counts),
               **_figures(all_waits, all_errors["signed"], all_errors["declared"])}
    return {"day": DAY.isoformat(), "seed": seed, "tickets": tickets, "counters": sum(counts),
            "declared": "real means" if declared_real else "longer than the real means",
            "last_call": f"{int(end_minute // 60):02d}:{int(end_minute % 60):02d}", "services": rows,
            "overall": overall, "uncalled": sum(1 for r in records.values() if r["called"] is None)}


def _round(value, digits=2):
    return None if value is None else round(value, digits)


def _figures(waits, errors, declared_errors):
    absolute = sorted(abs(e) for e in errors)
    return {
        "mean_wait_minutes": _round(sum(waits) / len(waits)) if waits else None,
        "max_wait_minutes": _round(max(waits)) if waits else None,
        "estimated": len(errors),
        "mae_minutes": _round(sum(absolute) / len(absolute)) if absolute else None,
        "bias_minutes": _round(sum(errors) / len(errors)) if errors else None,
        "p90_abs_error_minutes": _round(absolute[int(0.9 * (len(absolute) - 1))]) if absolute else None,
        "declared_mae_minutes": _round(sum(declared_errors) / len(declared_errors)) if declared_errors else None,
    }


def text(result: dict) -> str:
    """The figures as a Markdown table (RESULTS.md and the command line)."""

    def cell(value):
        return "—" if value is None else f"{value:,.2f}"

    lines = [f"{result['tickets']:,} tickets, {result['counters']} counters, seed {result['seed']}, simulated day "
             f"{result['day']} (last call {result['last_call']}), declared durations "
             f"{result.get('declared', 'longer than the real means')}, replayed in {result.get('seconds', '?')} s.", "",
             "| service | counters | tickets | real mean passage | declared | mean wait | max wait | wait MAE | "
             "bias | p90 abs. error | MAE, declared durations only | passage MAE |",
             "|" + "---|" * 12]
    for row in result["services"]:
        lines.append(f"| {row['service']} | {row['counters']} | {row['tickets']} | {row['real_mean_minutes']} | "
                     f"{row['declared_minutes']} | {cell(row['mean_wait_minutes'])} | {cell(row['max_wait_minutes'])} | "
                     f"{cell(row['mae_minutes'])} | {cell(row['bias_minutes'])} | "
                     f"{cell(row['p90_abs_error_minutes'])} | {cell(row['declared_mae_minutes'])} | "
                     f"{cell(row['passage_mae_minutes'])} |")
    o = result["overall"]
    lines.append(f"| **overall** | {o['counters']} | {o['tickets']} | | | {cell(o['mean_wait_minutes'])} | "
                 f"{cell(o['max_wait_minutes'])} | **{cell(o['mae_minutes'])}** | {cell(o['bias_minutes'])} | "
                 f"{cell(o['p90_abs_error_minutes'])} | {cell(o['declared_mae_minutes'])} | |")
    lines += ["", "Minutes. Wait: from taking the ticket to being called. MAE: mean absolute error of the estimate "
              "shown when the ticket was taken (rounded up to the minute, as on the ticket's page); bias: mean signed "
              "error (positive: the estimate was too long); MAE with the declared durations only: the same formula "
              "without learning; passage MAE: the estimator's error on each passage's length "
              "(`accueil.estimate.replay_error`)."]
    if result.get("uncalled"):
        lines.append(f"**{result['uncalled']} tickets never called**: the simulation is wrong.")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--counters", type=int, default=20)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--mairie", default="paris19", help="the mairie whose id the day borrows (slug)")
    parser.add_argument("--declared-real", action="store_true",
                        help="each service declares its real mean passage (rounded) instead of a longer figure")
    parser.add_argument("--json", action="store_true", help="one JSON line instead of the table")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django

    django.setup()
    from cms.models import Mairie

    mairie = Mairie.objects.filter(slug=args.mairie).first() or Mairie.objects.order_by("pk").first()
    if mairie is None:
        sys.exit("No mairie in this database: run `manage.py seed_demo` first.")
    result = simulate(mairie=mairie, tickets=args.tickets, counters=args.counters, seed=args.seed,
                      declared_real=args.declared_real)
    print(json.dumps(result) if args.json else text(result))


if __name__ == "__main__":
    main()
