"""The Service lab's REST API (/api/hackathon/). Every write calls hackathon.services."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from cms.api.inputs import validated
from cms.api.mairies import MairieQuerysetMixin
from cms.api.permissions import Role, RoleRulesMixin
from cms.mairies import require_mairie
from cms.validation import id_param
from participation.api.mixins import SupportActionsMixin
from participation.api.throttles import WriteThrottle

from .. import permissions as rules
from .. import selectors, services
from ..models import Complaint, Draw, HackathonSession, Outcome, RecurringIssue
from .serializers import (
    ComplaintInput,
    ComplaintOutput,
    ComplaintPatch,
    DrawCloseInput,
    DrawOpenInput,
    DrawOutput,
    DrawRedrawInput,
    DrawRunInput,
    IssueInput,
    IssueOutput,
    IssuePatch,
    OutcomeAdvanceInput,
    OutcomeInput,
    OutcomeOutput,
    OwnComplaintOutput,
    RegistrationOutput,
    SessionInput,
    SessionOutput,
    SuggestionOutput,
    VerifyOutput,
)

WRITE_ACTIONS = {"create", "partial_update", "update", "run", "redraw", "close", "registration", "advance", "group"}


class _Throttled:
    def get_throttles(self):
        if self.action in WRITE_ACTIONS:
            return [WriteThrottle()]
        return super().get_throttles()


_STAFF = Role(rules.user_can_manage_issue, gettext_lazy("Réservé aux agents et organisateur·rices de cette mairie."))


class ComplaintViewSet(MairieQuerysetMixin, RoleRulesMixin, _Throttled, mixins.ListModelMixin,
                       mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Complaints. Residents and agents create; only agents and organisers of the mairie read.
    An agent's POST records a letter (with its contact); a resident's POST is an online complaint."""

    serializer_class = ComplaintOutput
    permission_classes = [permissions.IsAuthenticated]
    role_rules = {"partial_update": _STAFF}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _own_only(self, mairie):
        """A resident reading one complaint: their own only (a 404 for anyone else's)."""
        return self.action == "retrieve" and not rules.user_can_list_complaints(self.request.user, mairie)

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: its documented shapes are on retrieve()
            return super().get_serializer_class()
        if self._own_only(require_mairie(self.request)):
            return OwnComplaintOutput
        return super().get_serializer_class()

    def mairie_queryset(self, mairie):
        if self._own_only(mairie):
            return selectors.complaints_of_author(self.request.user).filter(mairie=mairie)
        if self.action in ("list", "partial_update", "suggestions") and not rules.user_can_list_complaints(
                self.request.user, mairie):
            raise PermissionDenied(_("Seuls les agents et organisateur·rices de cette mairie lisent les courriers."))
        qs = selectors.complaints_for(self.request.user, mairie).select_related("personal__author")  # contact
        if self.action == "list":
            params = self.request.query_params
            issue = id_param(self.request, "issue")
            if issue is not None:
                qs = qs.filter(issue_id=issue)
            if params.get("grouped") in ("true", "false"):
                qs = qs.filter(issue__isnull=params["grouped"] == "false")
        return qs

    @extend_schema(parameters=[OpenApiParameter("issue", int), OpenApiParameter("grouped", bool)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request={"multipart/form-data": ComplaintInput, "application/json": ComplaintInput},
                   responses={201: ComplaintOutput})
    def create(self, request, *args, **kwargs):
        mairie = require_mairie(request)
        values = validated(ComplaintInput, request, context={"mairie": mairie})
        if rules.user_can_record_complaint(request.user, mairie):
            complaint = services.complaint_record(
                actor=request.user, mairie=mairie, channel=values.get("channel", Complaint.Channel.PAPER),
                received_on=values.get("received_on"), subject=values["subject"],
                full_text=values.get("full_text", ""), scan=values.get("scan"), quartier=values.get("quartier"),
                tags=values.get("tags", []), contact_name=values.get("contact_name", ""),
                contact_email=values.get("contact_email", ""), contact_phone=values.get("contact_phone", ""),
                postal_address=values.get("postal_address", ""), public_summary=values.get("public_summary", ""),
                issue=values.get("issue"), author_account=values.get("author_account", ""))
            output = ComplaintOutput(complaint).data
        else:
            complaint = services.complaint_submit(
                user=request.user, mairie=mairie, subject=values["subject"], full_text=values.get("full_text", ""),
                quartier=values.get("quartier"), scan=values.get("scan"), tags=values.get("tags", []),
                postal_address=values.get("postal_address", ""))
            # A resident gets a receipt, not the record: complaints are read by agents only.
            output = {"id": complaint.pk, "received_on": complaint.received_on, "channel": complaint.channel}
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: OwnComplaintOutput(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def mine(self, request):
        """My own complaints (sent online, or digitised by an agent under my account), in every mairie."""
        return Response(OwnComplaintOutput(selectors.complaints_of_author(request.user), many=True).data)

    @extend_schema(responses={200: PolymorphicProxySerializer(
        component_name="ComplaintOrOwnComplaint", serializers=[ComplaintOutput, OwnComplaintOutput],
        resource_type_field_name=None)})
    def retrieve(self, request, *args, **kwargs):
        """Agents and organisers of the mairie: any complaint. A resident: their own (404 otherwise)."""
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=ComplaintPatch, responses={200: ComplaintOutput})
    def partial_update(self, request, *args, **kwargs):
        """Agents: group into an issue (issue: id or null), write or approve the public summary, quartier, tags."""
        complaint = self.get_object()
        values = validated(ComplaintPatch, request, context={"mairie": complaint.mairie}, partial=True)
        if "issue" in values:
            services.complaint_group(actor=request.user, complaint=complaint, issue=values["issue"])
        if {"public_summary", "quartier", "tags"} & set(values):
            services.complaint_update(actor=request.user, complaint=complaint,
                                      public_summary=values.get("public_summary"),
                                      quartier=values.get("quartier", ...),
                                      tags=values.get("tags"))
        return Response(ComplaintOutput(self.get_queryset().get(pk=complaint.pk)).data)

    @extend_schema(responses={200: SuggestionOutput(many=True)})
    @action(detail=True, methods=["get"])
    def suggestions(self, request, pk=None):
        """Existing issues whose complaints look like this one."""
        complaint = self.get_object()
        personal = getattr(complaint, "personal", None)
        text = f"{personal.subject} {personal.full_text}" if personal else complaint.public_summary
        found = selectors.suggest_issues(complaint.mairie, text, exclude_issue_id=complaint.issue_id)
        return Response([{"id": issue.pk, "title": issue.title, "complaints_count": issue.complaints_count,
                          "score": score} for issue, score in found])


class IssueViewSet(MairieQuerysetMixin, RoleRulesMixin, _Throttled, SupportActionsMixin,
                   mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    """Recurring issues. POST/DELETE {id}/vote/ is « moi aussi » (one per confirmed account)."""

    serializer_class = IssueOutput
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    role_rules = {"create": _STAFF, "partial_update": _STAFF}
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def mairie_queryset(self, mairie):
        qs = selectors.issues_for(self.request.user, mairie)
        params = self.request.query_params
        if self.action == "list":
            if params.get("status") in RecurringIssue.Status.values:
                qs = qs.filter(status=params["status"])
            if params.get("quartier"):
                qs = qs.filter(quartier__slug=params["quartier"])
            if params.get("tag"):
                qs = qs.filter(tags__name=params["tag"]).distinct()
        return qs.order_by("-complaints_count", "-supports_count", "title")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "detail": self.action == "retrieve"}

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=RecurringIssue.Status.values),
                               OpenApiParameter("quartier", str), OpenApiParameter("tag", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=IssueInput, responses={201: IssueOutput})
    def create(self, request, *args, **kwargs):
        mairie = require_mairie(request)
        values = validated(IssueInput, request, context={"mairie": mairie})
        complaints = list(Complaint.objects.filter(mairie=mairie, pk__in=values.get("complaints", [])))
        issue = services.issue_create(actor=request.user, mairie=mairie, title=values["title"],
                                      description=values.get("description", ""), tags=values.get("tags", []),
                                      quartier=values.get("quartier"), complaints=complaints)
        return Response(IssueOutput(issue).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=IssuePatch, responses={200: IssueOutput})
    def partial_update(self, request, *args, **kwargs):
        issue = self.get_object()
        values = validated(IssuePatch, request, partial=True)
        issue = services.issue_update(actor=request.user, issue=issue, **values)
        return Response(IssueOutput(issue, context={"detail": True}).data)


_ORGANISERS = Role(rules.user_can_open_draw, gettext_lazy("Réservé aux organisateur·rices de cette mairie."))


class DrawViewSet(MairieQuerysetMixin, RoleRulesMixin, _Throttled, mixins.ListModelMixin,
                  mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Monthly draws: everyone reads; organisers open (freeze the list) and run them. No update,
    no delete: a draw is a public record."""

    serializer_class = DrawOutput
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    role_rules = dict.fromkeys(("create", "run", "redraw", "close"), _ORGANISERS)
    http_method_names = ["get", "post", "head", "options"]

    def mairie_queryset(self, mairie):
        return selectors.draws_for(mairie).select_related("mairie")  # DrawOutput's slug

    @extend_schema(request=DrawOpenInput, responses={201: DrawOutput})
    def create(self, request, *args, **kwargs):
        """Open the month's draw: freeze and publish the eligible list, its hash and the entropy source."""
        values = validated(DrawOpenInput, request)
        draw = services.draw_open(actor=request.user, mairie=require_mairie(request), month=values.get("month"),
                                  entropy_source=values["entropy_source"],
                                  entropy_available_at=values.get("entropy_available_at"))
        return Response(DrawOutput(draw).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DrawRunInput, responses={200: DrawOutput})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def run(self, request, pk=None):
        """Type in the entropy value: the seed and the winner follow."""
        values = validated(DrawRunInput, request)
        draw = services.draw_run(actor=request.user, draw=self.get_object(),
                                 entropy_value=values["entropy_value"])
        return Response(DrawOutput(Draw.objects.get(pk=draw.pk)).data)

    @extend_schema(request=DrawRedrawInput, responses={201: DrawOutput})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def redraw(self, request, pk=None):
        """A new draw for the same month, with a public reason; this one stays visible."""
        values = validated(DrawRedrawInput, request)
        new = services.draw_redraw(actor=request.user, draw=self.get_object(), **values)
        return Response(DrawOutput(new).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DrawCloseInput, responses={200: DrawOutput})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def close(self, request, pk=None):
        """Close a draw that will not run (its value never came), with a public reason."""
        values = validated(DrawCloseInput, request)
        draw = services.draw_close(actor=request.user, draw=self.get_object(), reason=values["reason"])
        return Response(DrawOutput(Draw.objects.get(pk=draw.pk)).data)

    @extend_schema(responses={200: VerifyOutput})
    @action(detail=True, methods=["get"], url_name="verify")
    def verify(self, request, pk=None):
        """Recompute the draw from its published record and say whether it matches."""
        return Response(services.draw_verify(self.get_object()))


class SessionViewSet(MairieQuerysetMixin, RoleRulesMixin, _Throttled, mixins.ListModelMixin,
                     mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Hackathon days. POST/DELETE {id}/registration/ registers or cancels (waiting list when full)."""

    serializer_class = SessionOutput
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    role_rules = {"create": _ORGANISERS, "partial_update": _ORGANISERS}
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def mairie_queryset(self, mairie):
        return selectors.sessions_with_registrations(mairie, self.request.user)

    @extend_schema(request=SessionInput, responses={201: SessionOutput})
    def create(self, request, *args, **kwargs):
        mairie = require_mairie(request)
        values = validated(SessionInput, request)
        draw = values.pop("draw")
        if draw.mairie_id != mairie.pk:
            raise NotFound(_("Tirage introuvable."))
        session = services.session_create(actor=request.user, draw=draw, **values)
        return Response(SessionOutput(session, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SessionInput, responses={200: SessionOutput})
    def partial_update(self, request, *args, **kwargs):
        session = self.get_object()
        values = validated(SessionInput, request, partial=True)
        values.pop("draw", None)
        services.session_update(actor=request.user, session=session, **values)
        # Read again: the counts and registrations read with the session may have moved (promotions).
        return Response(SessionOutput(self.get_queryset().get(pk=session.pk), context={"request": request}).data)

    @extend_schema(methods=["POST"], request=None, responses={201: RegistrationOutput})
    @extend_schema(methods=["DELETE"], request=None, responses={200: RegistrationOutput})
    @action(detail=True, methods=["post", "delete"], permission_classes=[permissions.IsAuthenticated])
    def registration(self, request, pk=None):
        session = self.get_object()
        if request.method == "POST":
            registration = services.session_register(user=request.user, session=session)
            body = {"status": registration.status, "position": selectors.waiting_position(registration)}
            code = status.HTTP_201_CREATED
        else:
            services.session_unregister(user=request.user, session=session)
            body, code = {"status": None, "position": None}, status.HTTP_200_OK
        body["registrations"] = selectors.session_counts(HackathonSession.objects.get(pk=session.pk))
        return Response(body, status=code)


class OutcomeViewSet(MairieQuerysetMixin, RoleRulesMixin, _Throttled, mixins.ListModelMixin,
                     mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """What each hackathon decided, and where it stands (decided → in_progress → implemented)."""

    serializer_class = OutcomeOutput
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    role_rules = {"create": _ORGANISERS, "advance": _ORGANISERS}
    http_method_names = ["get", "post", "head", "options"]

    def mairie_queryset(self, mairie):
        return selectors.outcomes_for(mairie)

    @extend_schema(request=OutcomeInput, responses={201: OutcomeOutput})
    def create(self, request, *args, **kwargs):
        mairie = require_mairie(request)
        values = validated(OutcomeInput, request)
        session = values.pop("session")
        if session.mairie_id != mairie.pk:
            raise NotFound(_("Journée introuvable."))
        outcome = services.outcome_publish(actor=request.user, session=session, **values)
        return Response(OutcomeOutput(outcome).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OutcomeAdvanceInput, responses={200: OutcomeOutput})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def advance(self, request, pk=None):
        values = validated(OutcomeAdvanceInput, request)
        outcome = services.outcome_advance(actor=request.user, outcome=self.get_object(), **values)
        return Response(OutcomeOutput(Outcome.objects.get(pk=outcome.pk)).data)
