from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from cms.mairies import mairie_for_request

from .. import selectors
from ..query import SearchQuery
from .serializers import (
    SearchParams,
    SearchResponseSerializer,
    SuggestParams,
    SuggestResponseSerializer,
)

ERROR = OpenApiResponse(description=_("Paramètre invalide : {detail, code, errors}."))


class SearchView(APIView):
    """Search everything the caller may see on this mairie's site: pages and participatory content,
    with highlighted extracts, facets (counted on the filtered results) and "did you mean"."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "search"

    @extend_schema(parameters=[SearchParams], responses={200: SearchResponseSerializer, 400: ERROR}, tags=["search"])
    def get(self, request):
        params = SearchParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        query = SearchQuery.build(text=data["q"], types=data["type"], tags=data["tag"], quartiers=data["quartier"],
                                  statuses=data["status"], page=data["page"], page_size=data["page_size"])
        results = selectors.search_results(user=request.user, mairie=mairie_for_request(request), query=query)
        if not results.page_exists:
            raise serializers.ValidationError({"page": [
                ngettext("Cette page n'existe pas : la recherche compte %(n)d page.",
                         "Cette page n'existe pas : la recherche compte %(n)d pages.", results.num_pages)
                % {"n": results.num_pages}]})
        return Response({
            "count": results.count,
            "page": query.page,
            "num_pages": results.num_pages,
            "match": results.match,
            "results": [{
                "type": hit.type, "type_label": hit.type_label, "id": hit.id, "title": hit.title, "url": hit.url,
                "highlight": str(hit.highlight), "title_highlight": str(hit.title_highlight), "score": hit.score,
                "date": hit.date.isoformat() if hit.date else None, "mairie": hit.mairie, "tags": hit.tags,
                "quartier": hit.quartier, "status": hit.status,
            } for hit in results.hits],
            "facets": results.facets,
            "suggestions": results.suggestions,
        })


class SuggestView(APIView):
    """Titles of visible content matching what is being typed (each word as a prefix)."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "search"

    @extend_schema(parameters=[SuggestParams], responses={200: SuggestResponseSerializer, 400: ERROR},
                   tags=["search"])
    def get(self, request):
        params = SuggestParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        suggestions = selectors.search_suggestions(user=request.user, mairie=mairie_for_request(request),
                                                   text=params.validated_data["q"])
        return Response({"suggestions": suggestions})
