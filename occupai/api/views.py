"""Occupai's REST API. Every write calls occupai.services (or the engine for votes); the
querysets are scoped to the mairie answering the request."""


from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from cms import roles
from cms.api.inputs import validated
from cms.api.mairies import MairieQuerysetMixin
from cms.api.permissions import Role, RoleRulesMixin
from cms.mairies import require_mairie
from cms.validation import id_param
from participation import selectors as engine_selectors
from participation.api.mixins import SupportActionsMixin
from participation.api.throttles import WriteThrottle

from .. import selectors, services
from ..models import Proposal, Space
from ..permissions import user_can_moderate_call
from .serializers import (
    CallOutput,
    EventOutput,
    ProgrammeOutput,
    ProposalInput,
    ProposalOutput,
    ReasonInput,
    ScheduleInput,
    SpaceOutput,
)


@extend_schema(tags=["occupai"])
class CallViewSet(MairieQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Calls for projects of this mairie, with their current phase and the next one."""

    serializer_class = CallOutput
    permission_classes = [permissions.AllowAny]

    def mairie_queryset(self, mairie):
        public = Q(proposals__status__in=Proposal.PUBLIC_STATUSES, proposals__is_hidden=False)
        return (selectors.calls_for_mairie(mairie).prefetch_related("spaces")
                .annotate(public_proposals_count=Count("proposals", filter=public)))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = getattr(self.request, "user", None)
        if getattr(user, "is_authenticated", False) and self.action == "list":
            from participation.models import SupportAllowance

            context["allowances"] = dict(SupportAllowance.objects.filter(user=user, context__startswith="occupai.call:")
                                         .values_list("context", "used"))
        return context

    @extend_schema(responses={200: ProgrammeOutput})
    @action(detail=True, methods=["get"])
    def programme(self, request, pk=None):
        """The call's events in time order (empty until the programme is published, except for organisers)."""
        call = self.get_object()
        events = list(selectors.programme_events(call, request.user).order_by("starts_at", "space__name"))
        return Response({
            "call": call.pk,
            "published": selectors.programme_is_public(call),
            "results_at": ProgrammeOutput().fields["results_at"].to_representation(call.results_at),
            "ics": request.build_absolute_uri(call.programme_ics_path),
            "events": EventOutput(events, many=True, context=self.get_serializer_context()).data,
        })

    @extend_schema(responses={200: ProposalOutput(many=True)})
    @action(detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated])
    def ranking(self, request, pk=None):
        """Organisers: published proposals ranked by supports, then comments."""
        call = self.get_object()
        if not user_can_moderate_call(request.user, call):
            raise PermissionDenied(_("Réservé aux organisateur·rices de cette mairie."))
        proposals = list(selectors.ranked_proposals(call))
        for proposal in proposals:  # the call is loaded already: not once per proposal and event
            proposal.call = call
            if getattr(proposal, "event", None) is not None:
                proposal.event.call = call
        return Response(ProposalOutput(proposals, many=True, context=self.get_serializer_context()).data)


@extend_schema(tags=["occupai"])
class SpaceViewSet(MairieQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """The mairie's spaces (salle des fêtes, parvis...)."""

    serializer_class = SpaceOutput
    permission_classes = [permissions.AllowAny]

    def mairie_queryset(self, mairie):
        return Space.objects.filter(mairie=mairie)


@extend_schema(tags=["occupai"], parameters=[OpenApiParameter("call", OpenApiTypes.INT, description="Un appel")])
class EventViewSet(MairieQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Every published event of the mairie (the agenda), optionally of one call."""

    serializer_class = EventOutput
    permission_classes = [permissions.AllowAny]

    def mairie_queryset(self, mairie):
        qs = selectors.mairie_events(mairie)
        call = id_param(self.request, "call")
        return qs if call is None else qs.filter(call_id=call)


@extend_schema_view(
    list=extend_schema(parameters=[
        OpenApiParameter("call", OpenApiTypes.INT, description="Propositions d'un appel"),
        OpenApiParameter("status", OpenApiTypes.STR, description="Statut (draft, submitted, accepted…)"),
        OpenApiParameter("kind", OpenApiTypes.STR, description="Type d'événement"),
        OpenApiParameter("mine", OpenApiTypes.BOOL, description="Seulement mes propositions"),
    ]),
    create=extend_schema(request=ProposalInput, responses={201: ProposalOutput}),
    partial_update=extend_schema(request=ProposalInput, responses={200: ProposalOutput}),
    update=extend_schema(request=ProposalInput, responses={200: ProposalOutput}),
)
@extend_schema(tags=["occupai"])
class ProposalViewSet(MairieQuerysetMixin, RoleRulesMixin, SupportActionsMixin, mixins.ListModelMixin,
                      mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                      mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Proposals: the public sees published ones, authors their own, organisers everything submitted."""

    serializer_class = ProposalOutput
    vote_related = ("call",)  # the support rule reads the call's budget and window
    role_rules = dict.fromkeys(("accept", "reject", "decline", "schedule"), Role(
        roles.is_organiser_of, gettext_lazy("Réservé aux organisateur·rices de cette mairie.")))

    def get_throttles(self):
        if self.request.method in ("POST", "PUT", "PATCH", "DELETE") and self.action != "vote":
            return [WriteThrottle()]
        return super().get_throttles()

    def mairie_queryset(self, mairie):
        qs = selectors.proposals_visible_to(self.request.user, mairie)
        params = self.request.query_params
        call = id_param(self.request, "call")
        if call is not None:
            qs = qs.filter(call_id=call)
        if params.get("status") in Proposal.Status.values:
            qs = qs.filter(status=params["status"])
        if params.get("kind") in Proposal.Kind.values:
            qs = qs.filter(kind=params["kind"])
        if params.get("mine") in ("1", "true") and self.request.user.is_authenticated:
            qs = qs.filter(author=self.request.user)
        return qs

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["supported_ids"] = set()
        return context

    def _output(self, proposals, many=False, **kwargs):
        context = self.get_serializer_context()
        objects = proposals if many else [proposals]
        context["supported_ids"] = engine_selectors.supported_ids(self.request.user, objects)
        return ProposalOutput(proposals, many=many, context=context).data

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._output(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._output(self.get_object()))

    def _input(self, partial=False):
        data = ProposalInput(data=self.request.data, partial=partial, mairie=require_mairie(self.request))
        data.is_valid(raise_exception=True)
        return data

    def create(self, request, *args, **kwargs):
        data = self._input()
        call = data.validated_data.get("call")
        if call is None:
            return Response({"detail": _("Indiquez l'appel à projets."), "code": "invalid",
                             "errors": {"call": [_("Ce champ est obligatoire.")]}}, status=status.HTTP_400_BAD_REQUEST)
        proposal = services.proposal_create(user=request.user, call=call, **data.service_kwargs())
        return Response(self._output(proposal), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        proposal = self.get_object()
        data = self._input(partial=kwargs.get("partial", False))
        proposal = services.proposal_update(user=request.user, proposal=proposal, **data.service_kwargs())
        return Response(self._output(Proposal.objects.get(pk=proposal.pk)))

    def destroy(self, request, *args, **kwargs):
        services.proposal_delete(user=request.user, proposal=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _act(self, service, **kwargs):
        proposal = service(actor=self.request.user, proposal=self.get_object(), **kwargs)
        return Response(self._output(Proposal.objects.get(pk=proposal.pk)))

    @extend_schema(request=None, responses={200: ProposalOutput})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated],
            throttle_classes=[WriteThrottle])
    def submit(self, request, pk=None):
        """The author submits a draft for validation."""
        proposal = services.proposal_submit(user=request.user, proposal=self.get_object())
        return Response(self._output(Proposal.objects.get(pk=proposal.pk)))

    @extend_schema(request=None, responses={200: ProposalOutput})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def accept(self, request, pk=None):
        """Organisers: publish a submitted proposal."""
        return self._act(services.proposal_accept)

    @extend_schema(request=ReasonInput, responses={200: ProposalOutput})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def reject(self, request, pk=None):
        """Organisers: refuse a submitted proposal, with the reason the author reads."""
        values = validated(ReasonInput, request)
        return self._act(services.proposal_reject, reason=values["reason"])

    @extend_schema(request=ReasonInput, responses={200: ProposalOutput})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def decline(self, request, pk=None):
        """Organisers, after the vote: not selected (or taken off the programme), with a reason."""
        values = validated(ReasonInput, request)
        return self._act(services.proposal_decline, reason=values["reason"])

    @extend_schema(request=ScheduleInput, responses={200: EventOutput})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def schedule(self, request, pk=None):
        """Organisers, after the vote: select the proposal and book a space and a time slot."""
        values = validated(ScheduleInput, request, mairie=require_mairie(request))
        event = services.proposal_schedule(actor=request.user, proposal=self.get_object(), space=values["space"],
                                           starts_at=values["start"], ends_at=values["end"])
        return Response(EventOutput(event, context=self.get_serializer_context()).data)



