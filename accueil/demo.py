"""Demo data of the hall: the default services and counters of both demo mairies, and a few weeks of
measured passages (served tickets of past days) so that the estimator has something to weigh."""

import random
from datetime import datetime, timedelta

from django.utils import timezone

from .models import Channel, Service, State, Ticket
from .setup import set_up

PAST_DAYS = 5
PER_DAY = 12


def seed(ctx):
    for mairie in ctx.mairies.values():
        set_up(mairie)
        for service in Service.objects.filter(mairie=mairie):
            if Ticket.objects.filter(service=service).exists():
                continue
            _history(service)


def _history(service):
    """Served tickets of the last working days: about `default_minutes` each, with some spread."""
    rng = random.Random(f"{service.mairie.slug}-{service.slug}")  # noqa: S311 - demo data
    counter = service.counters.order_by("number").first()
    today = timezone.localdate()
    rows = []
    day = today
    for _n in range(PAST_DAYS):
        day -= timedelta(days=1)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        moment = timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=9))
        for seq in range(1, PER_DAY + 1):
            minutes = max(1.0, rng.gauss(service.default_minutes, service.default_minutes / 3))
            called = moment + timedelta(minutes=rng.uniform(0, 10))
            closed = called + timedelta(minutes=minutes)
            rows.append(Ticket(mairie_id=service.mairie_id, service=service, day=day, seq=seq,
                               number=f"{service.letter}{seq:03d}", channel=Channel.KIOSK, state=State.SERVED,
                               counter=counter, queued_at=moment, called_at=called, announced_at=called,
                               closed_at=closed))
            moment = closed
    Ticket.objects.bulk_create(rows)
