"""/api/guide/ (the guide, read-only and public, on the request's mairie) and /api/carnets/ (the
resident's carnets and those shared with the agent's services). Every write calls guide.services;
errors go through cms.api.errors; a carnet the user may not read is a 404."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cms.api.auth import TokenAuthentication
from cms.api.inputs import validated
from cms.errors import NotAllowed
from cms.mairies import require_mairie
from cms.uploads import serve_checked_file
from participation.api.throttles import WriteThrottle

from .. import permissions as carnet_permissions
from .. import selectors, services
from .serializers import (
    AgentPartInput,
    CarnetItemOutput,
    CarnetOpenInput,
    CarnetOutput,
    CarnetShareOutput,
    ClaimInput,
    CounterOpenInput,
    CounterOpenOutput,
    DemarcheOutput,
    DocumentInput,
    ItemStateInput,
    ShareInput,
    SituationOutput,
)


@extend_schema(tags=["guide"])
class SituationViewSet(viewsets.ReadOnlyModelViewSet):
    """The life situations of this mairie's guide, each with its démarches, tips, memos and post-its: in
    the request's language (Accept-Language, or the language cookie), French for those not translated
    into it. A situation's own id answers in its own language."""

    serializer_class = SituationOutput
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return selectors.situations_for(require_mairie(self.request), every_language=self.action != "list")


@extend_schema(tags=["guide"])
class DemarcheViewSet(viewsets.ReadOnlyModelViewSet):
    """The démarches of this mairie's guide: documents, cost, delay, service and contact, steps; in the
    request's language, French for those not translated into it (a démarche's own id: any language)."""

    serializer_class = DemarcheOutput
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return selectors.demarches_for(require_mairie(self.request), every_language=self.action != "list")


WRITES = {"create", "destroy", "item", "share", "revoke", "close", "agent", "counter", "claim"}


@extend_schema(tags=["carnets"])
class CarnetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Le carnet du citoyen. The list holds the user's own carnets and, for an agent, those shared
    with their services (`?shared=1`: those only). Personal data: never public."""

    serializer_class = CarnetOutput
    authentication_classes = [TokenAuthentication, SessionAuthentication]  # token first: anonymous gets 401
    permission_classes = [permissions.IsAuthenticated]

    def get_throttles(self):
        writes = self.action in WRITES or (self.action == "document" and self.request.method != "GET")
        return [WriteThrottle()] if writes else super().get_throttles()

    def get_queryset(self):
        mairie = require_mairie(self.request)
        if self.action == "list" and self.request.query_params.get("shared") in ("1", "true"):
            qs = selectors.carnets_shared_with(self.request.user, mairie)
        else:
            qs = selectors.carnets_visible_to(self.request.user, mairie)
        return qs.select_related("mairie", "owner").prefetch_related("items", "shares__service").order_by("-created_at", "-pk")

    def _carnet(self):
        try:
            return selectors.carnet_for(self.request.user, require_mairie(self.request), int(self.kwargs["pk"]))
        except (TypeError, ValueError):
            raise Http404 from None

    @extend_schema(request=CarnetOpenInput, responses={201: CarnetOutput})
    def create(self, request, *args, **kwargs):
        """Open a carnet for a démarche of this mairie's guide (409 when one is open for it)."""
        data = validated(CarnetOpenInput, request)
        carnet = services.carnet_open(user=request.user, mairie=require_mairie(request), demarche_id=data["demarche"])
        return Response(CarnetOutput(carnet).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CounterOpenInput, responses={201: CounterOpenOutput}, examples=[
        OpenApiExample("Without an account", request_only=True,
                       value={"demarche": 42, "without_account": True, "holder_label": "A. K.", "consent": True}),
        OpenApiExample("For an account", request_only=True,
                       value={"demarche": 42, "resident_email": "habitante@example.org", "consent": True}),
        OpenApiExample("Opened without an account", response_only=True, status_codes=["201"], value={
            "carnet": {"id": 7, "title": "Inscrire son enfant à la crèche", "demarche": 42, "status": "open",
                       "created_at": "2026-12-08T09:30:00+01:00", "closed_at": None, "next_appointment": None,
                       "appointment_place": "", "agent_note": "", "items": [], "shares": [],
                       "without_account": True},
            "claim_code": "7K3M-Q9TX-PH2R-W8CD", "code_url": "https://exemple.fr/carnets/code/"}),
    ])
    @action(detail=False, methods=["post"])
    def counter(self, request):
        """At the counter, an agent of this mairie (in one of its services) opens a carnet for a resident,
        with their consent (`consent: true`, else 400), shared with the agent's service at once: for an
        account (`resident_email`; none: 400), or `without_account` (no owner; the answer carries the claim
        code, once). 403: not an agent of this mairie or in none of its services."""
        mairie = require_mairie(request)
        if not carnet_permissions.user_can_open_carnet_for_someone(request.user, mairie):
            raise NotAllowed(_("Seuls les agents de cette mairie ouvrent un carnet pour un·e habitant·e."))
        data = validated(CounterOpenInput, request)
        code = None
        if data["without_account"]:
            carnet, code = services.carnet_open_without_account(
                agent=request.user, mairie=mairie, demarche_id=data["demarche"], holder_label=data["holder_label"],
                consent=data["consent"])
        else:
            carnet = services.carnet_open_for_resident(agent=request.user, mairie=mairie,
                                                       demarche_id=data["demarche"],
                                                       resident_email=data["resident_email"], consent=data["consent"])
        carnet = selectors.carnet_for(request.user, mairie, carnet.pk)
        return Response({"carnet": CarnetOutput(carnet).data, "claim_code": code,
                         "code_url": request.build_absolute_uri(reverse("guide:carnet-code")) if code else None},
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=ClaimInput, responses={200: CarnetOutput}, examples=[
        OpenApiExample("A claim code", request_only=True, value={"code": "7K3M-Q9TX-PH2R-W8CD"})])
    @action(detail=False, methods=["post"])
    def claim(self, request):
        """A resident (confirmed email, else 403) attaches the carnet opened for them at the counter without
        an account, with the code of its liaison sheet: it becomes theirs, the code stops working. An unknown
        code and one already used by someone else: the same 404 (`unknown_code`); already attached to this
        account: 409 (`already_claimed`). Codes tried are rate-limited (429, the `carnet_code` limit)."""
        from cms.ratelimit import enforce

        enforce(request, "carnet_code")
        data = validated(ClaimInput, request)
        carnet = services.carnet_claim(user=request.user, code=data["code"])
        return Response(CarnetOutput(selectors.carnet_for(request.user, carnet.mairie, carnet.pk)).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(CarnetOutput(self._carnet()).data)

    def destroy(self, request, *args, **kwargs):
        """The owner deletes the carnet."""
        services.carnet_delete(user=request.user, carnet=self._carnet())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ItemStateInput, responses=CarnetItemOutput)
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item_id>[0-9]{1,18})")
    def item(self, request, pk=None, item_id=None):
        """Mark a document: to_bring, brought (the owner or an agent), verified (an agent of a service it is shared with)."""
        carnet = self._carnet()
        data = validated(ItemStateInput, request)
        return Response(CarnetItemOutput(services.carnet_item_mark(user=request.user, carnet=carnet,
                                                                   item_id=int(item_id), state=data["state"])).data)

    @extend_schema(request=ShareInput, responses={201: CarnetShareOutput})
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        """The owner shares the carnet with a service of its mairie (consent recorded and logged)."""
        carnet = self._carnet()
        data = validated(ShareInput, request)
        share = services.carnet_share(user=request.user, carnet=carnet, service=data["service"])
        return Response(CarnetShareOutput(share).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CarnetShareOutput)
    @action(detail=True, methods=["post"], url_path=r"shares/(?P<share_id>[0-9]{1,18})/revoke")
    def revoke(self, request, pk=None, share_id=None):
        """The owner withdraws a sharing (409 when already withdrawn)."""
        carnet = self._carnet()
        share = services.carnet_share_revoke(user=request.user, carnet=carnet, share_id=int(share_id))
        return Response(CarnetShareOutput(share).data)

    @extend_schema(request=AgentPartInput, responses=CarnetOutput)
    @action(detail=True, methods=["post"])
    def agent(self, request, pk=None):
        """An agent of a service the carnet is shared with sets the next appointment and the note."""
        carnet = self._carnet()
        refusal = services.agent_part_refusal(request.user, carnet)
        if refusal is not None:
            raise refusal  # authorisation before validation
        data = validated(AgentPartInput, request)
        carnet = services.carnet_agent_update(user=request.user, carnet=carnet, **data)
        return Response(CarnetOutput(selectors.carnet_for(request.user, carnet.mairie, carnet.pk)).data)

    @extend_schema(request=None, responses=CarnetOutput)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        carnet = services.carnet_close(user=request.user, carnet=self._carnet())
        return Response(CarnetOutput(selectors.carnet_for(request.user, carnet.mairie, carnet.pk)).data)

    @extend_schema(methods=["GET"], request=None,
                   responses={(200, "application/octet-stream"): OpenApiResponse(
                       OpenApiTypes.BINARY, description="The file (PDF or image), for the owner and the agents of a "
                                                        "service the carnet is shared with; 404 otherwise.")})
    @extend_schema(methods=["POST"], request={"multipart/form-data": DocumentInput},
                   responses={200: CarnetItemOutput})
    @extend_schema(methods=["DELETE"], request=None, responses={200: CarnetItemOutput})
    @action(detail=True, methods=["get", "post", "delete"], url_path=r"items/(?P<item_id>[0-9]{1,18})/document",
            parser_classes=[MultiPartParser, FormParser])
    def document(self, request, pk=None, item_id=None):
        """The scan or photo of a document, attached only if its owner chooses to (private; gone with the
        carnet). GET: the file. POST (the owner, multipart `document`): attach or replace, a PDF or an image
        only (400 otherwise). DELETE (the owner): remove it."""
        carnet = self._carnet()
        if request.method == "GET":
            item = selectors.carnet_document_for(request.user, carnet, int(item_id))
            try:
                return serve_checked_file(request, item.document, filename=item.document_name or "document",
                                          inline=False)
            except (FileNotFoundError, OSError) as exc:
                raise Http404 from exc
        item = selectors.carnet_item_for(carnet, int(item_id))
        if request.method == "DELETE":
            item = services.carnet_document_remove(user=request.user, carnet=carnet, item_id=item.pk)
        else:
            refusal = services.document_refusal(request.user, carnet)
            if refusal is not None:
                raise refusal  # authorisation before validation
            data = validated(DocumentInput, request)
            item = services.carnet_document_attach(user=request.user, carnet=carnet, item_id=item.pk,
                                                   upload=data["document"])
        return Response(CarnetItemOutput(item).data)
