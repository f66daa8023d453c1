"""The charter's REST API: the current charter of the mairie answering the request, the history
of each commandement, the amendments (list, create, vote, withdraw, adopt, reject) and the
signature. Every write goes through the app's services."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from cms import roles
from cms.api.inputs import validated
from cms.api.permissions import Role, RoleRulesMixin
from cms.mairies import require_mairie
from cms.validation import parse_id
from participation import selectors as engine_selectors
from participation.api.mixins import SupportActionsMixin
from participation.api.throttles import SupportThrottle, WriteThrottle

from .. import selectors, services
from ..models import Amendment
from .serializers import (
    AdoptInput,
    AdoptOutput,
    AmendmentInput,
    AmendmentOutput,
    CharterOutput,
    RejectInput,
    ReportOutput,
    SignatureOutput,
    WordingOutput,
)

TAGS = ["commandements"]


def _charter(request):
    charter = selectors.live_charter(require_mairie(request))
    if charter is None:
        raise Http404(_("Cette mairie n'a pas encore publié sa charte."))
    return charter


def _number_or_404(charter, number):
    if charter.commandement(number) is None:
        raise Http404(_("Le commandement n° %(n)s n'existe pas.") % {"n": number})


class CharterView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: CharterOutput}, tags=TAGS)
    def get(self, request):
        """The current published charter of this mairie: its 19 commandements in order."""
        charter = _charter(request)
        version = selectors.current_version(charter)
        context = {"request": request, "wordings": selectors.current_wordings(charter),
                   "contributions": selectors.contributions_counts(charter)}
        data = {
            "id": charter.pk, "title": charter.title, "url": charter.path_on_site(),
            "version": version.number if version else None,
            "published_at": version.published_at if version else charter.last_published_at,
            "consultation": {"state": charter.consultation_state(), "opens_at": charter.consultation_opens_at,
                             "closes_at": charter.consultation_closes_at},
            "signatures_count": charter.supports_count,
            "signed": engine_selectors.has_supported(request.user, charter),
            "commandements": charter.ordered_commandements(),
        }
        return Response(CharterOutput(data, context=context).data)


class HistoryView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: WordingOutput(many=True)}, tags=TAGS)
    def get(self, request, number):
        """Every published wording of commandement n° number, oldest first, with the amendments
        each came from."""
        charter = _charter(request)
        _number_or_404(charter, number)
        return Response(WordingOutput(selectors.wording_history(charter, number), many=True).data)


class ReportsView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: ReportOutput(many=True)}, tags=TAGS)
    def get(self, request, number):
        """The mairie's reports on how it keeps its side of commandement n° number, newest first."""
        charter = _charter(request)
        _number_or_404(charter, number)
        return Response(ReportOutput(selectors.reports_by_number(charter).get(number, []), many=True).data)


class SignatureView(APIView):
    """« Je m'engage »: sign the charter (POST), withdraw (DELETE), or see where you stand (GET)."""

    def get_permissions(self):
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_throttles(self):
        return [SupportThrottle()] if self.request.method in ("POST", "DELETE") else []

    def _answer(self, request, charter, code=status.HTTP_200_OK):
        return Response({"signatures_count": charter.supports_count,
                         "signed": engine_selectors.has_supported(request.user, charter)}, status=code)

    @extend_schema(responses={200: SignatureOutput}, tags=TAGS)
    def get(self, request):
        return self._answer(request, _charter(request))

    @extend_schema(request=None, responses={201: SignatureOutput}, tags=TAGS)
    def post(self, request):
        charter = _charter(request)
        services.charter_sign(user=request.user, charter=charter)
        return self._answer(request, charter, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: SignatureOutput}, tags=TAGS)
    def delete(self, request):
        charter = _charter(request)
        services.charter_unsign(user=request.user, charter=charter)
        return self._answer(request, charter)


LIST_FILTERS = [OpenApiParameter("number", int), OpenApiParameter("status", str, enum=Amendment.Status.values)]


class AmendmentViewSet(RoleRulesMixin, SupportActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Amendments to the current charter of this mairie."""

    serializer_class = AmendmentOutput
    queryset = Amendment.objects.none()  # for the schema; get_queryset() scopes to the mairie's charter
    vote_related = ("charter",)  # the support rule reads the charter's consultation window
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    role_rules = dict.fromkeys(("adopt", "reject"), Role(
        roles.is_editor_of, gettext_lazy("Seul·es les éditeur·rices de cette mairie décident des amendements.")))

    def get_throttles(self):
        if self.action in ("create", "withdraw", "adopt", "reject"):
            return [WriteThrottle()]
        return super().get_throttles()

    def get_queryset(self):
        charter = _charter(self.request)
        qs = selectors.public_amendments(charter)
        if self.action == "list":
            params = self.request.query_params
            number = parse_id(params.get("number"), field="number")
            if number is not None:
                qs = qs.filter(number=number)
            if params.get("status") in Amendment.Status.values:
                qs = qs.filter(status=params["status"])
        return qs

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["supported"] = getattr(self, "_supported", set())
        return context

    def _output(self, amendment, code=status.HTTP_200_OK):
        self._supported = engine_selectors.supported_ids(self.request.user, [amendment])
        return Response(self.get_serializer(amendment).data, status=code)

    @extend_schema(parameters=LIST_FILTERS, tags=TAGS)
    def list(self, request, *args, **kwargs):
        queryset = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self._supported = engine_selectors.supported_ids(request.user, queryset)
        return self.get_paginated_response(self.get_serializer(queryset, many=True).data)

    @extend_schema(tags=TAGS)
    def retrieve(self, request, *args, **kwargs):
        return self._output(self.get_object())

    @extend_schema(request=AmendmentInput, responses={201: AmendmentOutput}, tags=TAGS)
    def create(self, request, *args, **kwargs):
        """Propose a new wording of one commandement during the consultation."""
        charter = _charter(request)
        values = validated(AmendmentInput, request)
        amendment = services.amendment_submit(user=request.user, charter=charter, **values)
        return self._output(amendment, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: AmendmentOutput}, tags=TAGS)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def withdraw(self, request, pk=None):
        """The author withdraws their amendment while it is in consultation."""
        return self._output(services.amendment_withdraw(user=request.user, amendment=self.get_object()))

    @extend_schema(request=AdoptInput, responses={200: AdoptOutput}, tags=TAGS)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def adopt(self, request, pk=None):
        """Editors of this mairie: write the amendment into a new draft revision of the charter.
        Nothing is published: review and publish the draft in the Wagtail admin."""
        values = validated(AdoptInput, request)
        amendment = self.get_object()
        revision = services.amendment_adopt(actor=request.user, amendment=amendment, note=values["note"])
        amendment.refresh_from_db()
        self._supported = engine_selectors.supported_ids(request.user, [amendment])
        return Response({"amendment": self.get_serializer(amendment).data, "revision": revision.pk,
                         "edit_url": reverse("wagtailadmin_pages:edit", args=[amendment.charter_id])})

    @extend_schema(request=RejectInput, responses={200: AmendmentOutput}, tags=TAGS)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def reject(self, request, pk=None):
        """Editors of this mairie: do not retain the amendment, with a public reason."""
        values = validated(RejectInput, request)
        amendment = services.amendment_reject(actor=request.user, amendment=self.get_object(),
                                              reason=values["reason"])
        return self._output(amendment)
