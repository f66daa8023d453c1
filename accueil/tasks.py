"""Telling residents their turn is near, and that they are called: by SMS or email, through the task
queue, each message at most once. The flag (notified_soon_at, notified_called_at) is set by a
conditional update before sending: two workers, or a task run twice, cannot both claim it. A provider
that fails is tried again (ATTEMPTS times); when it still fails, the ticket's page says so."""

import logging
import time

from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .estimate import mean_minutes, wait_minutes
from .models import State, Ticket
from .sms import SmsError, get_provider

log = logging.getLogger(__name__)
ATTEMPTS = 3
RETRY_SECONDS = 0.5


def _deliver(ticket: Ticket, subject: str, text: str) -> bool:
    """Send by SMS and/or email; True when every channel took it. A failure is written on the ticket."""
    ok = True
    if ticket.phone:
        provider = get_provider()
        for attempt in range(ATTEMPTS):
            try:
                if provider is None:
                    raise SmsError("SMS are off")
                provider.send(ticket.phone, text)
                break
            except SmsError:
                log.warning("ticket %s: SMS attempt %d failed", ticket.pk, attempt + 1, exc_info=True)
                if attempt + 1 < ATTEMPTS:
                    time.sleep(RETRY_SECONDS * (attempt + 1))
        else:
            ok = False
            Ticket.objects.filter(pk=ticket.pk).update(notify_error=_(
                "Le SMS n'a pas pu être envoyé : gardez cette page ouverte, elle vous dira quand c'est votre tour."))
    if ticket.email:
        try:
            send_mail(subject, text, None, [ticket.email])
        except Exception:  # the mail server is down
            log.warning("ticket %s: email failed", ticket.pk, exc_info=True)
            ok = False
            Ticket.objects.filter(pk=ticket.pk).update(notify_error=_(
                "L'e-mail n'a pas pu être envoyé : gardez cette page ouverte, elle vous dira quand c'est votre tour."))
    return ok


def due_soon(service_id: int, *, now=None) -> list[int]:
    """Waiting tickets of the service with a contact, not yet told, whose estimate is within their lead time."""
    from .models import Service
    from .selectors import open_counters

    now = now or timezone.now()
    queue = list(Ticket.objects.filter(service_id=service_id, state=State.WAITING, day=timezone.localdate(now))
                 .order_by("queued_at", "pk").values_list("pk", "lead_minutes", "notified_soon_at", "phone", "email"))
    candidates = [row for row in queue if row[2] is None and (row[3] or row[4])]
    if not candidates:
        return []
    mean = mean_minutes(Service.objects.get(pk=service_id), now=now)
    counters = open_counters(service_id)
    positions = {row[0]: index + 1 for index, row in enumerate(queue)}
    due = []
    for pk, lead, _notified, _phone, _email in candidates:
        estimate = wait_minutes(positions[pk], mean, counters)
        if estimate is not None and estimate <= lead:
            due.append(pk)
    return due


@task()
def notify_soon(service_id: int):
    """Tell each resident whose estimated turn is now within their lead time (once)."""
    sent = 0
    now = timezone.now()
    for pk in due_soon(service_id, now=now):
        if not Ticket.objects.filter(pk=pk, state=State.WAITING, notified_soon_at__isnull=True).update(
                notified_soon_at=now):
            continue  # another worker claimed it
        ticket = Ticket.objects.select_related("service", "mairie").get(pk=pk)
        from .selectors import ticket_status

        status = ticket_status(ticket, now=now)
        text = _("%(mairie)s : votre tour (ticket %(number)s, %(service)s) approche, environ %(minutes)d min. "
                 "Revenez dans le hall.") % {"mairie": ticket.mairie.short_name, "number": ticket.number,
                                              "service": ticket.service.name, "minutes": status.estimate or 1}
        _deliver(ticket, _("Votre tour approche"), text)
        sent += 1
    return sent


@task()
def notify_called(ticket_id: int):
    """Tell the resident they are called, and at which counter (once)."""
    now = timezone.now()
    if not Ticket.objects.filter(pk=ticket_id, state=State.CALLED, notified_called_at__isnull=True).filter(
            ~Q(phone="") | ~Q(email="")).update(notified_called_at=now):
        return False
    ticket = Ticket.objects.select_related("service", "mairie", "counter").get(pk=ticket_id)
    text = _("%(mairie)s : c'est à vous ! Ticket %(number)s, guichet %(counter)d.") % {
        "mairie": ticket.mairie.short_name, "number": ticket.number, "counter": ticket.counter.number}
    return _deliver(ticket, _("C'est à vous"), text)
