"""Generic endpoints of the engine, for every registered participatory type."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cms import roles
from cms.api.inputs import validated
from cms.api.permissions import Role, RoleRulesMixin
from cms.mairies import mairie_for_request

from .. import preferences, registry, selectors, services
from ..models import Quartier
from .serializers import (
    CommentInput,
    CommentOutput,
    ModerationInput,
    NotificationOutput,
    NotificationPreferencesInput,
    NotificationPreferencesOutput,
    QuartierOutput,
    ReadInput,
    ReportInput,
    TargetInput,
    TimelineOutput,
)
from .throttles import WriteThrottle

TARGET_PARAM = OpenApiParameter("target", str, required=True, description="« bureau.project:42 »")


def _target_from_query(request):
    ref = request.query_params.get("target", "")
    if not ref:
        raise ValidationError({"target": [_("Paramètre obligatoire, par exemple « bureau.project:42 ».")]})
    return registry.resolve_for_request(ref, request)


def _flatten(threads):
    for node in threads:
        yield node["comment"]
        yield from _flatten(node["replies"])


class CommentsView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_throttles(self):
        return [WriteThrottle()] if self.request.method == "POST" else []

    @extend_schema(parameters=[TARGET_PARAM], responses={200: CommentOutput(many=True)}, tags=["participation"])
    def get(self, request):
        """Public comments of a target, threads in order, replies after their comment."""
        target = _target_from_query(request)
        return Response(CommentOutput(list(_flatten(selectors.comments_for(target))), many=True).data)

    @extend_schema(request=CommentInput, responses={201: CommentOutput}, tags=["participation"])
    def post(self, request):
        values = validated(CommentInput, request)
        target = registry.resolve_for_request(values["target"], request)
        comment = services.comment_post(user=request.user, target=target, text=values["text"],
                                        parent_id=values.get("parent"))
        return Response(CommentOutput(comment).data, status=status.HTTP_201_CREATED)


class FollowsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=TargetInput, responses={201: None}, tags=["participation"])
    def post(self, request):
        values = validated(TargetInput, request)
        target = registry.resolve_for_request(values["target"], request)
        services.follow_add(user=request.user, target=target)
        return Response({"following": True}, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[TARGET_PARAM], responses={200: None}, tags=["participation"])
    def delete(self, request):
        services.follow_remove(user=request.user, target=_target_from_query(request))
        return Response({"following": False})


class ReportsView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [WriteThrottle]

    @extend_schema(request=ReportInput, responses={201: None}, tags=["participation"])
    def post(self, request):
        values = validated(ReportInput, request)
        target = registry.resolve_for_request(values["target"], request)
        services.report_add(user=request.user, target=target, reason=values["reason"], note=values["note"])
        return Response({"detail": _("Merci : l'équipe de modération va examiner ce contenu.")},
                        status=status.HTTP_201_CREATED)


class ModerationView(RoleRulesMixin, APIView):
    """Organisers hide or restore an object or a comment, with a reason kept in the audit log.
    The door asks for the organiser role; the service checks the target's own mairie."""

    permission_classes = [permissions.IsAuthenticated]
    action = "hide"
    role_rules = dict.fromkeys(("hide", "restore"), Role(
        lambda user, mairie: roles.is_organiser(user), gettext_lazy("Seuls les organisateur·rices modèrent.")))

    @extend_schema(request=ModerationInput, responses={200: None}, tags=["participation"])
    def post(self, request):
        values = validated(ModerationInput, request)
        target = registry.resolve_any(values["target"])
        if self.action == "hide":
            services.moderation_hide(actor=request.user, target=target, reason=values["reason"])
        else:
            services.moderation_restore(actor=request.user, target=target, reason=values["reason"])
        return Response({"hidden": self.action == "hide"})


class ModerationQueueView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: None}, tags=["participation"])
    def get(self, request):
        mairie = mairie_for_request(request)
        if not roles.is_organiser_of(request.user, mairie):
            return Response({"detail": _("Réservé aux organisateur·rices de cette mairie."), "code": "forbidden"},
                            status=status.HTTP_403_FORBIDDEN)
        return Response([
            {"target": f"{e['content_type'].app_label}.{e['content_type'].model}:{e['target'].pk}",
             "title": str(getattr(e["target"], "title", None) or getattr(e["target"], "comment", "")),
             "reports": e["count"], "reasons": e["reasons"]}
            for e in selectors.open_reports(mairie)
        ])


class NotificationsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: NotificationOutput(many=True)}, tags=["participation"])
    def get(self, request):
        """Your notifications, newest first (50 at most)."""
        return Response(NotificationOutput(selectors.notifications_for(request.user)[:50], many=True).data)


class NotificationsReadView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ReadInput, responses={200: None}, tags=["participation"])
    def post(self, request):
        values = validated(ReadInput, request)
        n = services.notification_mark_read(user=request.user, notification_ids=values.get("ids"))
        return Response({"marked_read": n})


class NotificationPreferencesView(APIView):
    """How your notifications are emailed, per kind: `immediate`, `digest` (one email a day) or
    `never`; the on-site notification is always made. The account page changes the same choices."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: NotificationPreferencesOutput}, tags=["participation"])
    def get(self, request):
        return Response(preferences.preferences_for(request.user))

    @extend_schema(request=NotificationPreferencesInput, responses={200: NotificationPreferencesOutput},
                   tags=["participation"])
    def put(self, request):
        changes = validated(NotificationPreferencesInput, request)
        return Response(services.notification_preferences_update(user=request.user, changes=changes))


class QuartiersView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: QuartierOutput(many=True)}, tags=["participation"])
    def get(self, request):
        """The quartiers of the mairie answering the request."""
        return Response(QuartierOutput(Quartier.objects.filter(mairie=mairie_for_request(request)), many=True).data)


class TimelineView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[TARGET_PARAM], responses={200: TimelineOutput(many=True)}, tags=["participation"])
    def get(self, request):
        """The public decisions taken on a target, with their reasons."""
        target = _target_from_query(request)
        return Response(TimelineOutput(selectors.public_timeline(target), many=True,
                                       context={"request": request, "target": target}).data)
