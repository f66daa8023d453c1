"""Writes of the hall's queues: keyword-only functions that check who may act, then let the
database decide (conditional updates, unique constraints), each in one transaction.

Every change of a queue clears the hall screen's cache and asks the notification task to look
at that service again, after commit (accueil.tasks)."""

import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.errors import Conflict

from . import selectors
from .models import OPEN_STATES, Channel, Counter, Service, State, Ticket, new_token
from .permissions import counters_refusal
from .sms import sms_enabled

LEAD_MINUTES = range(1, 181)
DEFAULT_LEAD = 15
_PHONE = re.compile(r"^(?:\+33|0033|0)([67]\d{8})$")


def normalise_phone(value: str) -> str:
    """A French mobile number as +336XXXXXXXX / +337XXXXXXXX, or ValidationError."""
    digits = re.sub(r"[\s.\-()]", "", value or "")
    match = _PHONE.match(digits)
    if not match:
        raise ValidationError({"phone": _("Indiquez un numéro de portable français, par exemple 06 12 34 56 78.")})
    return "+33" + match.group(1)


def is_open_at(service: Service, moment: datetime) -> bool:
    local = timezone.localtime(moment)
    return any(h.weekday == local.weekday() and h.covers(local.time()) for h in service.hours.all())


def _require_agent(user, mairie):
    refusal = counters_refusal(user, mairie)
    if refusal is not None:
        raise refusal


def _after_change(service_id: int, mairie_id: int, *, called_ticket_id: int | None = None):
    """After commit: the hall screen shows the change at once, and the notifications are looked at."""
    from . import tasks

    def run():
        selectors.forget_screen(mairie_id)
        tasks.notify_soon.enqueue(service_id)
        if called_ticket_id is not None:
            tasks.notify_called.enqueue(called_ticket_id)

    transaction.on_commit(run)


def _contact(*, phone: str, email: str, lead_minutes) -> dict:
    errors = {}
    contact = {"phone": "", "email": "", "lead_minutes": DEFAULT_LEAD}
    if phone:
        if not sms_enabled():
            errors["phone"] = _("Les SMS ne sont pas disponibles : indiquez plutôt une adresse e-mail, "
                                "ou gardez la page de votre ticket ouverte.")
        else:
            try:
                contact["phone"] = normalise_phone(phone)
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if email:
        try:
            validate_email(email)
            contact["email"] = email.strip()
        except ValidationError:
            errors["email"] = _("Cette adresse e-mail n'est pas valide.")
    if lead_minutes not in (None, ""):
        try:
            lead = int(lead_minutes)
        except (TypeError, ValueError):
            lead = 0
        if lead not in LEAD_MINUTES:
            errors["lead_minutes"] = _("Choisissez un délai de 1 à 180 minutes.")
        else:
            contact["lead_minutes"] = lead
    if errors:
        raise ValidationError(errors)
    return contact


def _next_seq(service: Service, day) -> int:
    last = Ticket.objects.filter(service=service, day=day).aggregate(m=Max("seq"))["m"] or 0
    return last + 1


def _insert_numbered(service: Service, day, **fields) -> Ticket:
    """A new ticket with the next number of the day; two at once both get one (the unique constraint
    refuses the second, which takes the following number)."""
    for _attempt in range(10):
        seq = _next_seq(service, day)
        try:
            with transaction.atomic():
                return Ticket.objects.create(mairie_id=service.mairie_id, service=service, day=day, seq=seq,
                                             number=f"{service.letter}{seq:03d}", **fields)
        except IntegrityError:
            continue
    raise Conflict(_("Trop de tickets pris au même instant : réessayez."), code="busy")


def ticket_take(*, service: Service, channel: str = Channel.ONLINE, phone: str = "", email: str = "",
                lead_minutes=None, user=None, now: datetime | None = None) -> Ticket:
    """A ticket in `service`'s queue for today. At the reception, an agent of the mairie gives it; at the
    kiosk or online, anyone. Refused (409) when the service is closed now."""
    now = now or timezone.now()
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choisissez où le ticket est pris.")})
    if channel == Channel.RECEPTION:
        _require_agent(user, service.mairie)
    contact = _contact(phone=(phone or "").strip(), email=(email or "").strip(), lead_minutes=lead_minutes)
    if not service.active or not is_open_at(service, now):
        raise Conflict(_("Le service « %(service)s » ne reçoit pas en ce moment. %(hours)s")
                       % {"service": service.name, "hours": selectors.hours_text(service)}, code="closed")
    with transaction.atomic():
        ticket = _insert_numbered(service, timezone.localdate(now), channel=channel, queued_at=now, **contact)
    _after_change(service.pk, service.mairie_id)
    return ticket


def ticket_take_on_behalf(*, owner, mairie, choice, by, now: datetime | None = None):
    """Someone the owner consented to (an ambassador: cms.on_behalf, « ticket ») takes a ticket for the owner
    in a service (`choice`, its id) of this mairie, online. The owner is told by email before their turn and
    when called (their address kept on the ticket until it closes, as for any ticket)."""
    from django.urls import reverse

    from cms.on_behalf import Done

    service = Service.objects.filter(mairie=mairie, active=True, pk=choice).first() if str(choice).isdigit() else None
    if service is None:
        raise ValidationError({"choice": _("Choisissez un service de cette mairie.")})
    ticket = ticket_take(service=service, channel=Channel.ONLINE, email=owner.email or "", now=now)
    return Done(text=_("Ticket %(number)s pris au service « %(service)s » : suivez l'attente sur sa page ; la personne "
                       "aidée est prévenue par e-mail avant son tour.") % {"number": ticket.number,
                                                                           "service": service.name},
                url=reverse("accueil:ticket", args=[ticket.token]))


def ticket_call_next(*, counter: Counter, user, now: datetime | None = None) -> Ticket:
    """The longest-waiting ticket of the counter's service, called to this counter. Two agents calling at
    the same instant never get the same ticket: the row is locked (FOR UPDATE SKIP LOCKED, so the other
    agent takes the next one without waiting) and taken by a conditional update. A counter calls one ticket
    at a time (a partial unique constraint): the one called must be served or marked absent first."""
    _require_agent(user, counter.mairie)
    now = now or timezone.now()
    with transaction.atomic():
        current = Ticket.objects.filter(counter=counter, state=State.CALLED).first()
        if current is not None:
            raise Conflict(_("Le ticket %(number)s est encore appelé à ce guichet : indiquez d'abord s'il a été "
                             "servi ou absent.") % {"number": current.number}, code="counter_busy")
        queue = Ticket.objects.filter(service_id=counter.service_id, state=State.WAITING, day=timezone.localdate(now))
        for _attempt in range(20):
            candidate = queue.select_for_update(skip_locked=True).order_by("queued_at", "pk").first()
            if candidate is None:
                raise Conflict(_("Personne n'attend pour ce service."), code="empty_queue")
            try:
                with transaction.atomic():
                    taken = Ticket.objects.filter(pk=candidate.pk, state=State.WAITING).update(
                        state=State.CALLED, counter=counter, called_at=now, announced_at=now)
            except IntegrityError as exc:  # this counter called one at the same instant
                raise Conflict(_("Ce guichet vient d'appeler un ticket."), code="counter_busy") from exc
            if taken:
                break
        else:
            raise Conflict(_("Trop d'appels au même instant : réessayez."), code="busy")
    candidate.refresh_from_db()
    _after_change(counter.service_id, counter.mairie_id, called_ticket_id=candidate.pk)
    return candidate


def _called(ticket: Ticket) -> None:
    if ticket.state != State.CALLED:
        raise Conflict(_("Le ticket %(number)s n'est pas appelé à un guichet (il est %(state)s).")
                       % {"number": ticket.number, "state": ticket.get_state_display()}, code="not_called")


def ticket_recall(*, ticket: Ticket, user, now: datetime | None = None) -> Ticket:
    """Announce a called ticket again on the hall screen."""
    _require_agent(user, ticket.mairie)
    now = now or timezone.now()
    with transaction.atomic():
        if not Ticket.objects.filter(pk=ticket.pk, state=State.CALLED).update(announced_at=now):
            ticket.refresh_from_db()
            _called(ticket)
    ticket.refresh_from_db()
    _after_change(ticket.service_id, ticket.mairie_id)
    return ticket


def _close(ticket: Ticket, user, state: str, now) -> Ticket:
    _require_agent(user, ticket.mairie)
    now = now or timezone.now()
    with transaction.atomic():
        closed = Ticket.objects.filter(pk=ticket.pk, state=State.CALLED).update(
            state=state, closed_at=now, phone="", email="")
        if not closed:
            ticket.refresh_from_db()
            raise Conflict(_("Le ticket %(number)s est déjà clos (%(state)s).")
                           % {"number": ticket.number, "state": ticket.get_state_display()}
                           if not ticket.is_open else
                           _("Le ticket %(number)s n'a pas encore été appelé.") % {"number": ticket.number},
                           code="already_closed" if not ticket.is_open else "not_called")
    ticket.refresh_from_db()
    _after_change(ticket.service_id, ticket.mairie_id)
    return ticket


def ticket_mark_served(*, ticket: Ticket, user, now: datetime | None = None) -> Ticket:
    """The resident was received: the ticket closes and its contact details are erased. Twice: 409."""
    return _close(ticket, user, State.SERVED, now)


def ticket_mark_absent(*, ticket: Ticket, user, now: datetime | None = None) -> Ticket:
    """The resident called did not come: the ticket closes and its contact details are erased."""
    return _close(ticket, user, State.ABSENT, now)


def ticket_transfer(*, ticket: Ticket, user, service: Service, now: datetime | None = None) -> Ticket:
    """Send the resident to another service of the same mairie. They get a number of that service but keep
    their place in time (queued_at), their private page (the token moves to the new ticket) and their contact
    details; the old ticket closes as transferred."""
    _require_agent(user, ticket.mairie)
    now = now or timezone.now()
    if service.mairie_id != ticket.mairie_id or not service.active:
        raise ValidationError({"service": _("Choisissez un service ouvert de cette mairie.")})
    if service.pk == ticket.service_id:
        raise ValidationError({"service": _("Le ticket est déjà dans ce service.")})
    with transaction.atomic():
        old = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if old.state not in OPEN_STATES:
            raise Conflict(_("Le ticket %(number)s est déjà clos (%(state)s).")
                           % {"number": old.number, "state": old.get_state_display()}, code="already_closed")
        token, contact = old.token, {"phone": old.phone, "email": old.email, "lead_minutes": old.lead_minutes}
        Ticket.objects.filter(pk=old.pk).update(state=State.TRANSFERRED, closed_at=now, token=new_token(),
                                                phone="", email="")
        new = _insert_numbered(service, old.day, channel=old.channel, queued_at=old.queued_at, token=token,
                               **contact)
        Ticket.objects.filter(pk=old.pk).update(transferred_to=new)
    _after_change(old.service_id, old.mairie_id)
    _after_change(service.pk, service.mairie_id)
    return new


def ticket_cancel(*, ticket: Ticket, now: datetime | None = None) -> Ticket:
    """The resident gives up their place (from the ticket's own page, which only its token opens)."""
    now = now or timezone.now()
    with transaction.atomic():
        if not Ticket.objects.filter(pk=ticket.pk, state=State.WAITING).update(
                state=State.CANCELLED, closed_at=now, phone="", email=""):
            ticket.refresh_from_db()
            raise Conflict(_("Ce ticket ne peut plus être annulé (il est %(state)s).")
                           % {"state": ticket.get_state_display()}, code="not_waiting")
    ticket.refresh_from_db()
    _after_change(ticket.service_id, ticket.mairie_id)
    return ticket


def tickets_close_past_days(*, now: datetime | None = None) -> int:
    """Tickets of a past day still open (the hall closed on them) close as absent, their contact details
    erased. Run each night (`manage.py accueil_close_day`)."""
    now = now or timezone.now()
    return Ticket.objects.filter(day__lt=timezone.localdate(now), state__in=OPEN_STATES).update(
        state=State.ABSENT, closed_at=now, phone="", email="")


def counter_set_open(*, counter: Counter, user, is_open: bool) -> Counter:
    """Open or close a counter: the estimate divides by the open counters."""
    _require_agent(user, counter.mairie)
    Counter.objects.filter(pk=counter.pk).update(is_open=bool(is_open))
    counter.refresh_from_db()
    _after_change(counter.service_id, counter.mairie_id)
    return counter
