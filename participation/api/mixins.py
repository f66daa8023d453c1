"""Give any ViewSet of participatory objects the engine's vote action."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import services
from .serializers import SupportOutput
from .throttles import SupportThrottle


class SupportActionsMixin:
    """POST {detail}/vote/ supports the object, DELETE withdraws it (participation.services);
    the answer's count is null when the object's support rule hides it from this user.

    `vote_related`: the relations the object's support rule reads (joined for the vote)."""

    vote_related = ()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # A vote needs the object's own row, not what its representation joins or prefetches
        # (author, image, tags...): building those into the query cost more than running it.
        if getattr(self, "action", None) == "vote":
            queryset = queryset.select_related(None).prefetch_related(None)
            return queryset.select_related(*self.vote_related) if self.vote_related else queryset
        return queryset

    @extend_schema(request=None, responses={201: SupportOutput, 200: SupportOutput})
    @action(detail=True, methods=["post", "delete"], url_path="vote",
            permission_classes=[permissions.IsAuthenticated], throttle_classes=[SupportThrottle])
    def vote(self, request, *args, **kwargs):
        """Support (POST) or withdraw (DELETE), as the object's support rule allows (window, budget, mairie)."""
        target = self.get_object()
        if request.method == "POST":
            count = services.support_add(user=request.user, target=target)
            code, supported = status.HTTP_201_CREATED, True
        else:
            count = services.support_withdraw(user=request.user, target=target)
            code, supported = status.HTTP_200_OK, False
        left = services.supports_left(user=request.user, target=target)
        if not target.support_rule().counts_visible_to(request.user):
            count = None  # the rule hides the counts from this user (e.g. during a vote)
        return Response({"supports_count": count, "supports_left": left, "supported": supported}, status=code)
