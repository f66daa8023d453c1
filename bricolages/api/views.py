"""/api/bricolages/: the wiki for other front ends. Agents only (anonymous: 401, others: 403);
every write goes through bricolages.services."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle

from cms.api.auth import TokenAuthentication
from cms.api.inputs import validated

from .. import permissions, selectors, services
from ..models import BricolagePage
from ..selectors import Filters
from .serializers import (
    BricolageDetailOutput,
    BricolageInputSerializer,
    BricolageListOutput,
    FeedbackInput,
    FeedbackOutput,
    RatingInput,
    RatingOutput,
    RestoreInput,
    RevisionOutput,
)


class IsAgent(BasePermission):
    message = _("Les bricolages sont réservés aux agents des mairies.")

    def has_permission(self, request, view):
        return permissions.user_can_view_bricolages(request.user)


class WriteThrottle(UserRateThrottle):
    scope = "write"


LIST_PARAMS = [
    OpenApiParameter("tag", str, description="Tag slug"),
    OpenApiParameter("tool", str, description="Tool slug"),
    OpenApiParameter("mairie", str, description="Slug of the author's mairie"),
    OpenApiParameter("ordering", str, enum=list(selectors.SORTS),
                     description="note (Bayesian average, default), recent, adoption (mairies using it)"),
    OpenApiParameter("q", str, description="Words in the title, summary, problem or materials"),
]


@extend_schema(tags=["bricolages"])
class BricolageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    # Token first: an anonymous request gets 401 with a WWW-Authenticate header, not 403.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAgent]
    lookup_value_regex = r"[0-9]{1,18}"
    serializer_class = BricolageListOutput

    def get_throttles(self):
        return [WriteThrottle()] if self.request.method not in ("GET", "HEAD", "OPTIONS") else []

    def get_queryset(self):
        params = self.request.query_params
        sort = params.get("ordering", "note")
        filters = Filters(tag=params.get("tag", "")[:100], tool=params.get("tool", "")[:100],
                          mairie=params.get("mairie", "")[:40], q=params.get("q", "")[:200].strip(),
                          sort=sort if sort in selectors.SORTS else "note")
        return selectors.bricolage_list(self.request.user, filters).select_related("author__mairie")

    def get_serializer_class(self):
        return BricolageDetailOutput if self.action == "retrieve" else BricolageListOutput

    def get_object(self):
        bricolage = selectors.get_bricolage(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, bricolage)
        return bricolage

    def _annotated(self, bricolage):
        queryset = selectors.with_stats(BricolagePage.objects.filter(pk=bricolage.pk))
        return selectors.with_tags(queryset.select_related("author__mairie", "mairie")).get()

    @extend_schema(parameters=LIST_PARAMS)
    def list(self, request, *args, **kwargs):
        """Bricolages of every mairie, filtered and sorted (Bayesian rating by default)."""
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        bricolage = self._annotated(self.get_object())
        return Response(BricolageDetailOutput(bricolage, context=self.get_serializer_context()).data)

    @extend_schema(request=BricolageInputSerializer, responses={201: BricolageDetailOutput})
    def create(self, request, *args, **kwargs):
        """Publish a bricolage (its first revision), or a variant with `variant_of`."""
        serializer = BricolageInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        parent = None
        if serializer.validated_data.get("variant_of"):
            parent = selectors.get_bricolage(request.user, serializer.validated_data["variant_of"])
        page = services.bricolage_create(author=request.user, data=serializer.to_input(), variant_of=parent,
                                         change_note=serializer.validated_data.get("change_note", ""))
        data = BricolageDetailOutput(self._annotated(page), context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    def _update(self, request, partial):
        bricolage = self.get_object()
        serializer = BricolageInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.to_input(services.BricolageInput.from_page(bricolage) if partial else None)
        page = services.bricolage_update(user=request.user, bricolage=bricolage, data=data,
                                         change_note=serializer.validated_data.get("change_note", ""))
        return Response(BricolageDetailOutput(self._annotated(page), context=self.get_serializer_context()).data)

    @extend_schema(request=BricolageInputSerializer, responses={200: BricolageDetailOutput})
    def update(self, request, *args, **kwargs):
        """Save a new version (a revision with `change_note`); refused if nothing changes."""
        return self._update(request, partial=False)

    @extend_schema(request=BricolageInputSerializer, responses={200: BricolageDetailOutput})
    def partial_update(self, request, *args, **kwargs):
        """Like PUT, the fields not sent keep their current value."""
        return self._update(request, partial=True)

    @extend_schema(responses={200: RevisionOutput(many=True)})
    @action(detail=True, methods=["get"])
    def revisions(self, request, pk=None):
        """Every version, newest first, with author, date and change note."""
        bricolage = self.get_object()
        page = self.paginate_queryset(selectors.revisions(bricolage).select_related("user__mairie"))
        context = {**self.get_serializer_context(), "live_revision_id": bricolage.live_revision_id}
        return self.get_paginated_response(RevisionOutput(page, many=True, context=context).data)

    @extend_schema(request=RestoreInput, responses={200: BricolageDetailOutput})
    @action(detail=True, methods=["post"], url_path=r"revisions/(?P<revision_id>\d+)/restore", url_name="restore")
    def restore(self, request, pk=None, revision_id=None):
        """Restore an earlier version: saved as a new revision."""
        bricolage = self.get_object()
        revision = get_object_or_404(bricolage.revisions, pk=revision_id)
        values = validated(RestoreInput, request)
        page = services.bricolage_restore(user=request.user, bricolage=bricolage, revision=revision,
                                          change_note=values["change_note"])
        return Response(BricolageDetailOutput(self._annotated(page), context=self.get_serializer_context()).data)

    def _rating_response(self, bricolage, code=status.HTTP_200_OK):
        mine = selectors.user_rating(self.request.user, bricolage)
        return Response({"stars": mine.stars if mine else None, "rating": selectors.rating_summary(bricolage)},
                        status=code)

    @extend_schema(methods=["GET"], request=None, responses={200: RatingOutput})
    @extend_schema(methods=["PUT"], request=RatingInput, responses={200: RatingOutput})
    @extend_schema(methods=["DELETE"], request=None, responses={204: None})
    @action(detail=True, methods=["get", "put", "delete"])
    def rating(self, request, pk=None):
        """Your rating (1 to 5 stars, not on your own bricolage) and the bricolage's average."""
        bricolage = self.get_object()
        if request.method == "PUT":
            values = validated(RatingInput, request)
            services.rating_set(user=request.user, bricolage=bricolage, stars=values["stars"])
        elif request.method == "DELETE":
            services.rating_remove(user=request.user, bricolage=bricolage)
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._rating_response(bricolage)

    @extend_schema(methods=["GET"], request=None, responses={200: FeedbackOutput(many=True)})
    @extend_schema(methods=["POST"], request=FeedbackInput, responses={201: FeedbackOutput})
    @action(detail=True, methods=["get", "post"])
    def feedback(self, request, pk=None):
        """Retours d'expérience: who deployed it, in which mairie, whether it worked."""
        bricolage = self.get_object()
        if request.method == "POST":
            values = validated(FeedbackInput, request)
            feedback = services.feedback_record(user=request.user, bricolage=bricolage, **values)
            return Response(FeedbackOutput(feedback).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(selectors.feedback_for(bricolage).select_related("author__mairie"))
        return self.get_paginated_response(FeedbackOutput(page, many=True).data)
