"""HTML pages of the hall: taking a ticket (online, at the kiosk), the ticket's own page, the hall
screen and the agents' counters. Thin: each action is a service of accueil.services."""

from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cms.mairies import require_mairie
from cms.ratelimit import ratelimit
from cms.web import act, attempt, button, form_status, login_first, require_mairie_role

from . import selectors, services
from .forms import TicketForm, TransferForm
from .models import Channel, Counter, State, Ticket
from .permissions import user_can_operate_counters

SCREEN_POLL_MS = 1000


def _take(request, *, channel, template):
    mairie = require_mairie(request)
    waits = selectors.service_waits(mairie)
    by_slug = {w.service.slug: w.service for w in waits}
    form = TicketForm(request.POST if request.method == "POST" else None, services=[w.service for w in waits])
    status = form_status(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(request, lambda: services.ticket_take(
            service=by_slug[data["service"]], channel=channel, phone=data.get("phone", ""),
            email=data.get("email", ""), lead_minutes=data.get("lead_minutes"), user=request.user), form=form)
        if outcome:
            return HttpResponseRedirect(reverse("accueil:ticket", args=[outcome.value.token]))
        status = outcome.status
    return render(request, template, {"mairie": mairie, "waits": waits, "form": form, "channel": channel},
                  status=status)


@never_cache
@ratelimit("ticket", key="ip")
def index(request):
    """Take a ticket online, and see each service's wait."""
    return _take(request, channel=Channel.ONLINE, template="accueil/index.html")


@never_cache
@ratelimit("ticket", key="ip")
def kiosk(request):
    """The kiosk of the hall: the same, in large, for a touch screen."""
    return _take(request, channel=Channel.KIOSK, template="accueil/kiosk.html")


def _ticket_or_404(request, token):
    ticket = selectors.ticket_by_token(token)
    if ticket is None or ticket.mairie_id != require_mairie(request).pk:
        raise Http404
    return ticket


@never_cache
@require_safe
def ticket(request, token):
    """The ticket's own page, opened by its private link: no account needed."""
    found = _ticket_or_404(request, token)
    status = selectors.ticket_status(found)
    # The page updates itself with a short script; without one, an automatic refresh only on request
    # (an unrequested one is a timing the visitor cannot adjust: WCAG 2.2.1).
    auto = request.GET.get("auto") == "1" and found.is_open
    response = render(request, "accueil/ticket.html", {"ticket": found, "status": status, "refresh": 20 if auto else 0})
    response["Referrer-Policy"] = "no-referrer"  # the token is in the address
    response["X-Robots-Tag"] = "noindex"
    return response


def ticket_cancel(request, token):
    if request.method != "POST":
        raise Http404
    found = _ticket_or_404(request, token)
    return act(request, lambda: services.ticket_cancel(ticket=found), success=_("Votre ticket est annulé."),
               default=reverse("accueil:ticket", args=[token]))


@never_cache
@require_safe
def screen(request):
    """The hall screen: large, announced to screen readers; a short poll (or, without JavaScript, a
    refresh of the page) keeps it current."""
    mairie = require_mairie(request)
    return render(request, "accueil/screen.html", {"mairie": mairie, "data": selectors.cached_screen_data(mairie),
                                                   "poll_ms": SCREEN_POLL_MS})


def _agent_mairie(request):
    return require_mairie_role(request, user_can_operate_counters)




@never_cache
@login_first
def counters(request):
    """The agents' entry: choose one's counter; give a ticket at the reception."""
    mairie = _agent_mairie(request)
    waits = selectors.service_waits(mairie)
    form = TicketForm(request.POST if request.method == "POST" else None, services=[w.service for w in waits],
                      contact=False)
    status = form_status(form)
    if request.method == "POST" and form.is_valid():
        by_slug = {w.service.slug: w.service for w in waits}
        outcome = attempt(request, lambda: services.ticket_take(
            service=by_slug[form.cleaned_data["service"]], channel=Channel.RECEPTION, user=request.user), form=form,
            success=lambda t: _("Ticket %(number)s donné.") % {"number": t.number})
        if outcome:
            return HttpResponseRedirect(reverse("accueil:counters"))
        status = outcome.status
    all_counters = Counter.objects.filter(mairie=mairie).select_related("service")
    return render(request, "accueil/counters.html", {"mairie": mairie, "counters": all_counters, "waits": waits,
                                                     "form": form}, status=status)


def _counter(request, pk):
    mairie = _agent_mairie(request)
    return get_object_or_404(Counter.objects.select_related("service", "mairie"), pk=pk, mairie=mairie)


@never_cache
@login_first
def counter(request, pk):
    """One counter, for a tablet: the ticket called here and the buttons."""
    found = _counter(request, pk)
    if request.method not in ("GET", "HEAD"):  # after the role check: authorisation first
        return HttpResponseNotAllowed(["GET", "HEAD"])
    current = Ticket.objects.filter(counter=found, state=State.CALLED).select_related("service").first()
    others = selectors.services_for(found.mairie).exclude(pk=found.service_id)
    waits = {w.service.pk: w for w in selectors.service_waits(found.mairie)}
    return render(request, "accueil/counter.html", {
        "counter": found, "current": current, "wait": waits.get(found.service_id),
        "transfer_form": TransferForm(services=others)})


ACTIONS = ("appeler", "rappeler", "servi", "absent", "transferer", "ouvrir", "fermer")


@button
@login_first
def counter_action(request, pk, action):
    """A counter's button: call next, recall, served, absent, transfer, open or close the counter."""
    if action not in ACTIONS:
        raise Http404
    found = _counter(request, pk)
    back = reverse("accueil:counter", args=[found.pk])
    user = request.user
    if action == "appeler":
        return act(request, lambda: services.ticket_call_next(counter=found, user=user), default=back,
                   success=lambda t: _("Ticket %(number)s appelé.") % {"number": t.number})
    if action in ("ouvrir", "fermer"):
        return act(request, lambda: services.counter_set_open(counter=found, user=user, is_open=action == "ouvrir"),
                   default=back)
    ticket = _posted_ticket(request, found)
    if ticket is None:
        return act(request, _no_ticket, default=back)
    if action == "rappeler":
        return act(request, lambda: services.ticket_recall(ticket=ticket, user=user), default=back,
                   success=_("Ticket rappelé à l'écran."))
    if action == "servi":
        return act(request, lambda: services.ticket_mark_served(ticket=ticket, user=user), default=back,
                   success=_("Ticket servi."))
    if action == "absent":
        return act(request, lambda: services.ticket_mark_absent(ticket=ticket, user=user), default=back,
                   success=_("Ticket marqué absent."))
    others = list(selectors.services_for(found.mairie))
    form = TransferForm(request.POST, services=others)
    target = {s.slug: s for s in others}.get(request.POST.get("service"))
    if not form.is_valid() or target is None:
        return act(request, _no_service, default=back)
    return act(request, lambda: services.ticket_transfer(ticket=ticket, user=user, service=target), default=back,
               success=lambda t: _("Transféré : nouveau numéro %(number)s.") % {"number": t.number})


def _posted_ticket(request, counter):
    """The ticket the button is about (its id posted with it, so that a second click is refused), else the
    one called at this counter."""
    raw = request.POST.get("ticket", "")
    qs = Ticket.objects.filter(mairie=counter.mairie).select_related("mairie")
    if raw.isdigit() and len(raw) < 19:
        return qs.filter(pk=int(raw)).first()
    return qs.filter(counter=counter, state=State.CALLED).first()


def _no_ticket():
    from cms.errors import Conflict

    raise Conflict(_("Aucun ticket n'est appelé à ce guichet."), code="not_called")


def _no_service():
    from django.core.exceptions import ValidationError

    raise ValidationError(_("Choisissez un service de cette mairie."))
