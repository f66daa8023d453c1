"""Reads of the hall: the services with their estimated waits, a ticket's status, the hall screen."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from .estimate import mean_minutes, wait_minutes
from .models import Counter, Service, State, Ticket

SCREEN_KEY = "accueil:screen:{mairie_id}"
SCREEN_SECONDS = 1  # the hall screens poll every second or so: each mairie's answer is computed once a second


@dataclass
class ServiceWait:
    service: Service
    waiting: int
    open_counters: int
    mean: float
    estimate: int | None  # minutes for a ticket taken now
    is_open: bool


def services_for(mairie, *, active_only=True):
    qs = Service.objects.filter(mairie=mairie).prefetch_related("hours")
    return qs.filter(active=True) if active_only else qs


def service_waits(mairie, *, now=None) -> list[ServiceWait]:
    from .services import is_open_at

    now = now or timezone.now()
    today = timezone.localdate(now)
    services = list(services_for(mairie).annotate(
        waiting=Count("tickets", filter=Q(tickets__state=State.WAITING, tickets__day=today), distinct=True),
        open_counters=Count("counters", filter=Q(counters__is_open=True), distinct=True)))
    result = []
    for service in services:
        mean = mean_minutes(service, now=now)
        result.append(ServiceWait(service=service, waiting=service.waiting, open_counters=service.open_counters,
                                  mean=mean, estimate=wait_minutes(service.waiting + 1, mean, service.open_counters),
                                  is_open=is_open_at(service, now)))
    return result


def hours_text(service) -> str:
    hours = list(service.hours.all())
    if not hours:
        return _("Aucun horaire d'ouverture n'est indiqué.")
    parts = [f"{h.get_weekday_display()} {time_format(h.opens, 'H:i')}–{time_format(h.closes, 'H:i')}" for h in hours]
    return _("Horaires : %(hours)s.") % {"hours": ", ".join(parts)}


def position_of(ticket, *, now=None) -> int:
    """1 for the next resident to be called; 0 when the ticket no longer waits."""
    if ticket.state != State.WAITING:
        return 0
    ahead = Ticket.objects.filter(service_id=ticket.service_id, day=ticket.day, state=State.WAITING).filter(
        Q(queued_at__lt=ticket.queued_at) | Q(queued_at=ticket.queued_at, pk__lt=ticket.pk)).count()
    return ahead + 1


def open_counters(service_id) -> int:
    return Counter.objects.filter(service_id=service_id, is_open=True).count()


@dataclass
class TicketStatus:
    ticket: Ticket
    position: int
    estimate: int | None


def ticket_status(ticket, *, now=None) -> TicketStatus:
    position = position_of(ticket, now=now)
    estimate = None
    if position:
        estimate = wait_minutes(position, mean_minutes(ticket.service, now=now), open_counters(ticket.service_id))
    return TicketStatus(ticket=ticket, position=position, estimate=estimate)


def ticket_by_token(token: str):
    """The ticket whose private page this is (following a transfer to the ticket that replaced it), or None."""
    if not token or len(token) > 64:
        return None
    return Ticket.objects.select_related("service", "counter", "mairie").filter(token=token).first()


def screen_data(mairie, *, now=None) -> dict:
    """What the hall screen shows: the tickets called at each counter (last announced first) and each
    service's estimated wait. Public: numbers and services only, never a contact detail."""
    now = now or timezone.now()
    called = (Ticket.objects.filter(mairie=mairie, state=State.CALLED, day=timezone.localdate(now))
              .select_related("counter", "service").order_by("-announced_at", "-pk"))
    return {
        "mairie": mairie.name,
        "updated_at": now.isoformat(),
        "called": [{"number": t.number, "counter": t.counter.number, "service": t.service.name,
                    "announced_at": t.announced_at.isoformat() if t.announced_at else None} for t in called],
        "services": [{"slug": w.service.slug, "name": w.service.name, "waiting": w.waiting,
                      "estimated_wait_minutes": w.estimate if w.is_open else None, "open": w.is_open}
                     for w in service_waits(mairie, now=now)],
    }


def cached_screen_data(mairie) -> dict:
    key = SCREEN_KEY.format(mairie_id=mairie.pk)
    data = cache.get(key)
    if data is None:
        data = screen_data(mairie)
        cache.set(key, data, SCREEN_SECONDS)
    return data


def forget_screen(mairie_id) -> None:
    cache.delete(SCREEN_KEY.format(mairie_id=mairie_id))
