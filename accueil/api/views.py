"""/api/accueil/: the hall for other front ends. Services, taking a ticket, a ticket's status (by its
private token) and the hall screen are public; the counters are their mairie's agents'. Every write
goes through accueil.services."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response

from cms.api.auth import TokenAuthentication
from cms.api.inputs import validated
from cms.mairies import require_mairie
from cms.ratelimit import enforce

from .. import selectors, services
from ..models import Counter, State, Ticket
from ..permissions import user_can_operate_counters
from .serializers import (
    CounterActionInput,
    CounterOutput,
    CounterTicketOutput,
    ScreenOutput,
    ServiceWaitOutput,
    TakenTicketOutput,
    TicketInput,
    TicketStatusOutput,
    TransferInput,
)

AUTH = [TokenAuthentication, SessionAuthentication]  # token first: anonymous gets 401, not 403


class IsCounterAgent(BasePermission):
    message = _lazy("Les guichets sont réservés aux agents de cette mairie.")

    def has_permission(self, request, view):
        return user_can_operate_counters(request.user, require_mairie(request))


@extend_schema(tags=["accueil"], responses=ServiceWaitOutput(many=True))
@api_view(["GET"])
@permission_classes([AllowAny])
def service_list(request):
    """The services of this mairie's hall with their waits now."""
    return Response(ServiceWaitOutput(selectors.service_waits(require_mairie(request)), many=True).data)


@extend_schema(tags=["accueil"], request=TicketInput, responses={201: TakenTicketOutput})
@api_view(["POST"])
@permission_classes([AllowAny])
def ticket_take(request):
    """Take a ticket for today (rate-limited per address). At the reception channel, agents only."""
    mairie = require_mairie(request)
    enforce(request, "ticket", key="ip")
    data = validated(TicketInput, request)
    service = selectors.services_for(mairie).filter(slug=data.pop("service")).first()
    if service is None:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError({"service": _("Ce service n'existe pas dans cette mairie.")})
    ticket = services.ticket_take(service=service, user=request.user, **data)
    return Response(TakenTicketOutput(selectors.ticket_status(ticket)).data, status=status.HTTP_201_CREATED)


def _ticket(request, token):
    ticket = selectors.ticket_by_token(token)
    if ticket is None or ticket.mairie_id != require_mairie(request).pk:
        raise Http404
    return ticket


@extend_schema(tags=["accueil"], responses=TicketStatusOutput)
@api_view(["GET"])
@permission_classes([AllowAny])
def ticket_detail(request, token):
    """A ticket's state, position and estimated wait, by its private token."""
    return Response(TicketStatusOutput(selectors.ticket_status(_ticket(request, token))).data)


@extend_schema(tags=["accueil"], request=None, responses=TicketStatusOutput)
@api_view(["POST"])
@permission_classes([AllowAny])
def ticket_cancel(request, token):
    """Give up a waiting ticket."""
    ticket = services.ticket_cancel(ticket=_ticket(request, token))
    return Response(TicketStatusOutput(selectors.ticket_status(ticket)).data)


@extend_schema(tags=["accueil"], responses=ScreenOutput)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def screen(request):
    """What the hall screen shows (cached for a second per mairie): called numbers and waits."""
    response = Response(selectors.cached_screen_data(require_mairie(request)))
    response["Cache-Control"] = "no-cache"
    return response


@extend_schema(tags=["accueil"], responses=CounterOutput(many=True))
@api_view(["GET"])
@authentication_classes(AUTH)
@permission_classes([IsCounterAgent])
def counter_list(request):
    """The counters of this mairie, with the ticket called at each."""
    counters = list(Counter.objects.filter(mairie=require_mairie(request)).select_related("service"))
    current = {t.counter_id: t for t in Ticket.objects.filter(counter__in=counters, state=State.CALLED)}
    for counter in counters:
        counter.current = current.get(counter.pk)
    return Response(CounterOutput(counters, many=True).data)


def _counter(request, pk):
    return get_object_or_404(Counter.objects.select_related("service", "mairie"), pk=pk,
                             mairie=require_mairie(request))


def _target(request, counter, data):
    qs = Ticket.objects.filter(mairie=counter.mairie).select_related("mairie")
    ticket = qs.filter(pk=data["ticket"]).first() if data.get("ticket") else qs.filter(
        counter=counter, state=State.CALLED).first()
    if ticket is None:
        from django.utils.translation import gettext as _

        from cms.errors import Conflict

        raise Conflict(_("Aucun ticket n'est appelé à ce guichet."), code="not_called")
    return ticket


def _done(ticket):
    ticket = Ticket.objects.select_related("service", "counter").get(pk=ticket.pk)
    return Response(CounterTicketOutput(ticket).data)


@extend_schema(tags=["accueil"], request=None, responses=CounterTicketOutput)
@api_view(["POST"])
@authentication_classes(AUTH)
@permission_classes([IsCounterAgent])
def counter_call_next(request, pk):
    """Call the longest-waiting ticket of the counter's service (409 when nobody waits)."""
    return _done(services.ticket_call_next(counter=_counter(request, pk), user=request.user))


def _ticket_action(action, input_class=CounterActionInput):
    @extend_schema(tags=["accueil"], request=input_class, responses=CounterTicketOutput)
    @api_view(["POST"])
    @authentication_classes(AUTH)
    @permission_classes([IsCounterAgent])
    def view(request, pk):
        counter = _counter(request, pk)
        data = validated(input_class, request)
        return _done(action(request, counter, _target(request, counter, data), data))

    return view


def _transfer(request, counter, ticket, data):
    service = selectors.services_for(counter.mairie).filter(slug=data["service"]).first()
    if service is None:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError({"service": _("Ce service n'existe pas dans cette mairie.")})
    return services.ticket_transfer(ticket=ticket, user=request.user, service=service)


counter_recall = _ticket_action(lambda r, c, t, d: services.ticket_recall(ticket=t, user=r.user))
counter_served = _ticket_action(lambda r, c, t, d: services.ticket_mark_served(ticket=t, user=r.user))
counter_absent = _ticket_action(lambda r, c, t, d: services.ticket_mark_absent(ticket=t, user=r.user))
counter_transfer = _ticket_action(_transfer, TransferInput)
