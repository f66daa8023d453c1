"""Give any ViewSet of participatory objects the engine's vote action."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import services
from .serializers import SupportOutput
from .throttles import SupportThrottle


class SupportActionsMixin:
    """POST {detail}/vote/ supports the object, DELETE withdraws it (participation.services)."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # A vote needs the object, not what its representation prefetches (tags, images...).
        return queryset.prefetch_related(None) if getattr(self, "action", None) == "vote" else queryset

    @extend_schema(request=None, responses={201: SupportOutput, 200: SupportOutput})
    @action(detail=True, methods=["post", "delete"], url_path="vote",
            permission_classes=[permissions.IsAuthenticated], throttle_classes=[SupportThrottle])
    def vote(self, request, *args, **kwargs):
        target = self.get_object()
        if request.method == "POST":
            count = services.support_add(user=request.user, target=target)
            code, supported = status.HTTP_201_CREATED, True
        else:
            count = services.support_withdraw(user=request.user, target=target)
            code, supported = status.HTTP_200_OK, False
        left = services.supports_left(user=request.user, target=target)
        return Response({"supports_count": count, "supports_left": left, "supported": supported}, status=code)
