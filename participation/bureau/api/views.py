from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cms import roles
from cms.api.inputs import validated
from cms.api.mairies import MairieQuerysetMixin
from cms.api.permissions import Role, RoleRulesMixin
from cms.mairies import require_mairie
from participation.api.mixins import SupportActionsMixin
from participation.api.throttles import WriteThrottle

from .. import selectors, services
from ..models import Status
from .serializers import ProjectInput, ProjectOutput, ProjectPatch, TransitionInput, UpdateInput, UpdateOutput

FILTERS = [
    OpenApiParameter("status", str, enum=Status.values), OpenApiParameter("quartier", str),
    OpenApiParameter("tag", str), OpenApiParameter("q", str),
    OpenApiParameter("ordering", str, enum=["soutiens", "recents", "discussions"]),
]


class ProjectViewSet(MairieQuerysetMixin, RoleRulesMixin, SupportActionsMixin, mixins.ListModelMixin,
                     mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                     viewsets.GenericViewSet):
    """Projects of the Bureau de l'intelligence citoyenne of the mairie answering the request."""

    serializer_class = ProjectOutput
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    role_rules = {"transition": Role(roles.is_organiser_of, gettext_lazy("Seul·es les organisateur·rices de cette mairie "
                                                             "décident des projets."))}
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_throttles(self):
        if self.action in ("create", "partial_update", "transition", "updates"):
            return [WriteThrottle()]
        return super().get_throttles()

    def mairie_queryset(self, mairie):
        qs = selectors.visible_projects(self.request.user, mairie).select_related("author", "quartier", "image")
        qs = qs.prefetch_related("tags")
        if self.action == "list":
            params = self.request.query_params
            status_ = params.get("status")
            qs = selectors.filter_projects(qs, status=status_ if status_ in Status.values else None,
                                           quartier=params.get("quartier"), tag=params.get("tag"),
                                           text=(params.get("q") or "")[:200], sort=params.get("ordering"))
        return qs

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["index_path"] = selectors.index_path(require_mairie(self.request))
        return context

    @extend_schema(parameters=FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ProjectInput, responses={201: ProjectOutput})
    def create(self, request, *args, **kwargs):
        mairie = require_mairie(request)
        values = validated(ProjectInput, request, context={"mairie": mairie})
        tags, submit = values.pop("tags", []), values.pop("submit", False)
        project = services.project_create(author=request.user, mairie=mairie, data=values, tags=tags, submit=submit)
        return Response(ProjectOutput(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProjectPatch, responses={200: ProjectOutput})
    def partial_update(self, request, *args, **kwargs):
        project = self.get_object()
        values = validated(ProjectPatch, request, context={"mairie": project.mairie}, partial=True)
        tags = values.pop("tags", None)
        project = services.project_update(actor=request.user, project=project, data=values, tags=tags)
        return Response(ProjectOutput(project).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: ProjectOutput})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def submit(self, request, pk=None):
        """Draft → submitted (waits for an organiser's acceptance)."""
        project = services.project_submit(actor=request.user, project=self.get_object())
        return Response(ProjectOutput(project).data)

    @extend_schema(request=TransitionInput, responses={200: ProjectOutput})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def transition(self, request, pk=None):
        """Organisers: move the project along the pipeline, with a public rationale."""
        values = validated(TransitionInput, request)
        project = services.project_transition(actor=request.user, project=self.get_object(),
                                              to_status=values["status"],
                                              rationale=values["rationale"])
        return Response(ProjectOutput(project).data)

    @extend_schema(methods=["GET"], responses={200: UpdateOutput(many=True)})
    @extend_schema(methods=["POST"], request=UpdateInput, responses={201: UpdateOutput})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def updates(self, request, pk=None):
        """The author's news on an incubated project."""
        project = self.get_object()
        if request.method == "GET":
            return Response(UpdateOutput(project.updates.all()[:50], many=True).data)
        values = validated(UpdateInput, request)
        update = services.project_post_update(actor=request.user, project=project, text=values["text"])
        return Response(UpdateOutput(update).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[OpenApiParameter("title", str, required=True), OpenApiParameter("text", str)],
                   responses={200: ProjectOutput(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def similar(self, request):
        """Public projects that look like the one being written."""
        title = (request.query_params.get("title") or "")[:200]
        if not title.strip():
            return Response({"detail": _("Indiquez un titre."), "code": "invalid"}, status=400)
        found = selectors.similar_projects(require_mairie(request), title, (request.query_params.get("text") or "")[:500])
        return Response(ProjectOutput(found, many=True).data)
