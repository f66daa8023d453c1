"""How long a resident will wait: the estimator of the hall's queues.

For each service, the mean time an agent spends with one resident is an exponentially weighted
moving average (EWMA) of the most recent measured passages (from the call to "served"), oldest
first, seeded with the service's `default_minutes`:

    m_0 = default_minutes;  m_i = ALPHA * d_i + (1 - ALPHA) * m_(i-1)

With ALPHA = 0.3 the last five passages carry about 83 % of the weight: the estimate follows a
morning that speeds up or slows down within a few residents, and one long passage moves it by a
third of its excess only. Passages of the same hour of the day (over the last HISTORY_DAYS days)
are used when there are at least SAME_HOUR_MIN of them, since the mix of démarches changes over the
day; otherwise the service's recent passages at any hour. Absent residents are not passages.

A resident at position p (1 = next) in a service with c open counters waits about
p * m / c minutes; with no open counter there is no estimate (None). The estimate is shown rounded
up to the minute, never below one.
"""

import math
from datetime import timedelta

from django.utils import timezone

from .models import State, Ticket

ALPHA = 0.3
HISTORY = 40  # passages read per service
HISTORY_DAYS = 28
SAME_HOUR_MIN = 5
MAX_MINUTES = 240  # a passage measured longer than this (a counter left "called") is not a passage


def ewma(durations, *, seed: float, alpha: float = ALPHA) -> float:
    """The weighted mean of `durations` (minutes, oldest first) starting from `seed`."""
    mean = float(seed)
    for value in durations:
        mean = alpha * float(value) + (1 - alpha) * mean
    return mean


def recent_durations(service, *, now=None) -> list[float]:
    """Minutes of the service's recent passages, oldest first: those of the current hour of the day when
    there are enough of them, else all recent ones."""
    now = now or timezone.now()
    rows = list(Ticket.objects.filter(service=service, state=State.SERVED, called_at__isnull=False,
                                      closed_at__isnull=False, closed_at__gte=now - timedelta(days=HISTORY_DAYS),
                                      closed_at__lte=now)
                .order_by("-closed_at").values_list("called_at", "closed_at")[:HISTORY * 5])
    passages = [(called, (closed - called).total_seconds() / 60) for called, closed in rows]
    passages = [(called, minutes) for called, minutes in passages if 0 < minutes <= MAX_MINUTES]
    hour = timezone.localtime(now).hour
    same_hour = [p for p in passages if timezone.localtime(p[0]).hour == hour]
    chosen = same_hour if len(same_hour) >= SAME_HOUR_MIN else passages
    return [minutes for _called, minutes in reversed(chosen[:HISTORY])]


def mean_minutes(service, *, now=None) -> float:
    """The EWMA of the service's recent passages (minutes)."""
    return ewma(recent_durations(service, now=now), seed=service.default_minutes)


def wait_minutes(position: int, mean: float, open_counters: int) -> int | None:
    """Estimated wait of the resident at `position` (1 = next), rounded up; None with no open counter."""
    if open_counters <= 0:
        return None
    if position <= 0:
        return 0
    return max(1, math.ceil(position * mean / open_counters))


def replay_error(service, *, now=None) -> tuple[float | None, int]:
    """The estimator's mean absolute error on the service's measured passages (minutes), and how many:
    each passage, oldest first, is predicted by the EWMA of those before it (from the seed) and compared
    with what it took. (None, 0) with no passage."""
    now = now or timezone.now()
    rows = (Ticket.objects.filter(service=service, state=State.SERVED, called_at__isnull=False,
                                  closed_at__isnull=False, closed_at__lte=now)
            .order_by("closed_at", "pk").values_list("called_at", "closed_at"))
    mean, errors = float(service.default_minutes), []
    for called, closed in rows.iterator():
        minutes = (closed - called).total_seconds() / 60
        if not 0 < minutes <= MAX_MINUTES:
            continue
        errors.append(abs(minutes - mean))
        mean = ALPHA * minutes + (1 - ALPHA) * mean
    return (sum(errors) / len(errors) if errors else None), len(errors)
