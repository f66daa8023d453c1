"""/api/bricolages/explorations/: exploration days, applications, logbooks and summaries for other
front ends. Agents only (anonymous: 401, others: 403); every write goes through
bricolages.explorations.services. A logbook is returned only to its author, and to the host
service once shared: to anyone else its entries do not exist (404)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from cms.api.auth import TokenAuthentication
from cms.api.inputs import validated

from ..api.serializers import MairieOutput
from ..api.views import IsAgent, WriteThrottle
from ..models import BricolagePage
from . import permissions, selectors, services
from .models import ExplorationApplication

# --- serializers -------------------------------------------------------------------------------


class DayOutput(serializers.Serializer):
    id = serializers.IntegerField()
    mairie = MairieOutput()
    service = serializers.CharField()
    date = serializers.DateField()
    place = serializers.CharField()
    capacity = serializers.IntegerField()
    free = serializers.SerializerMethodField()
    waiting = serializers.SerializerMethodField()
    what_you_will_see = serializers.CharField()
    contact = serializers.CharField(help_text="For agents only, as the whole API")
    url = serializers.CharField(source="get_absolute_url")

    def get_free(self, day) -> int:
        return selectors.free_seats(day)

    def get_waiting(self, day) -> int:
        return getattr(day, "waiting_count", 0)


class DayInput(serializers.Serializer):
    service = serializers.CharField(max_length=160)
    date = serializers.DateField()
    place = serializers.CharField(max_length=200)
    capacity = serializers.IntegerField(min_value=1, max_value=50)
    what_you_will_see = serializers.CharField(max_length=4000)
    contact = serializers.CharField(max_length=200)


class AgentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="public_name")
    mairie = serializers.CharField(source="mairie.short_name", default=None)


class ApplicationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    day = serializers.IntegerField(source="day_id")
    agent = AgentOutput()
    goals = serializers.CharField()
    status = serializers.ChoiceField(choices=ExplorationApplication.Status.choices)
    position = serializers.SerializerMethodField(help_text="Place on the waiting list (1 = next), else null")
    accepted = serializers.BooleanField(source="is_accepted")
    logbook_shared = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url")

    def get_position(self, application) -> int | None:
        return selectors.SEATS.position(application)

    def get_logbook_shared(self, application) -> bool:
        return application.logbook_shared_at is not None

    def get_summary(self, application) -> int | None:
        summary = application.published_summary
        return summary.pk if summary else None


class ApplyInput(serializers.Serializer):
    goals = serializers.CharField(max_length=3000)


class LogbookEntryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    photo = serializers.CharField(source="photo_url", help_text="URL of the photo (agents' space), or empty")
    photo_alt = serializers.CharField()
    created_at = serializers.DateTimeField()


class LogbookEntryInput(serializers.Serializer):
    text = serializers.CharField(max_length=4000)
    photo = serializers.FileField(required=False, allow_empty_file=False)
    photo_alt = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")


class SummaryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField()
    exploration = serializers.IntegerField(source="application_id")
    author = AgentOutput(source="application.agent")
    service = serializers.CharField(source="application.day.service")
    mairie = serializers.CharField(source="application.day.mairie.short_name")
    date = serializers.DateField(source="application.day.date")
    published_at = serializers.DateTimeField()
    bricolages = serializers.SerializerMethodField(help_text="Ids of the bricolages born from this exploration")
    url = serializers.CharField(source="get_absolute_url")

    def get_bricolages(self, summary) -> list[int]:
        return [b.pk for b in summary.inspired_bricolages.all() if b.live and not b.is_hidden]


class SummaryInput(serializers.Serializer):
    title = serializers.CharField(max_length=160)
    text = serializers.CharField(max_length=6000)


class LinkInput(serializers.Serializer):
    bricolage = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


# --- views -------------------------------------------------------------------------------------


class _Base(viewsets.GenericViewSet):
    # Token first: an anonymous request gets 401 with a WWW-Authenticate header, not 403.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAgent]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_throttles(self):
        return [WriteThrottle()] if self.request.method not in ("GET", "HEAD", "OPTIONS") else []


@extend_schema(tags=["explorations"])
class DayViewSet(mixins.ListModelMixin, _Base):
    """Exploration days to come, of every mairie."""

    serializer_class = DayOutput

    def get_queryset(self):
        return selectors.days_to_come(self.request.user)

    def retrieve(self, request, pk=None):
        return Response(DayOutput(selectors.get_day(request.user, pk)).data)

    @extend_schema(request=DayInput, responses={201: DayOutput})
    def create(self, request):
        """Offer a day in a service of your mairie."""
        values = validated(DayInput, request)
        day = services.day_offer(actor=request.user, **values)
        return Response(DayOutput(selectors.get_day(request.user, day.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApplyInput, responses={201: ApplicationOutput})
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        """Apply with your goals: a seat while one is free, else the waiting list (status `waiting`)."""
        day = selectors.get_day(request.user, pk)
        values = validated(ApplyInput, request)
        application = services.exploration_apply(user=request.user, day=day, goals=values["goals"])
        return Response(ApplicationOutput(selectors.get_application(request.user, application.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: ApplicationOutput(many=True)})
    @action(detail=True, methods=["get"])
    def applications(self, request, pk=None):
        """The day's applications, for the host mairie's agents only (403 for others)."""
        day = selectors.get_day(request.user, pk)
        if not permissions.user_can_manage_day(request.user, day):
            self.permission_denied(request, message=IsAgent.message)
        return Response(ApplicationOutput(selectors.applications_of_day(request.user, day), many=True).data)


@extend_schema(tags=["explorations"])
class ApplicationViewSet(mixins.ListModelMixin, _Base):
    """Your own explorations, past and coming; one of them, or one your service hosts."""

    serializer_class = ApplicationOutput

    def get_queryset(self):
        return selectors.my_explorations(self.request.user).select_related("agent__mairie")

    def retrieve(self, request, pk=None):
        return Response(ApplicationOutput(selectors.get_application(request.user, pk)).data)

    def _act(self, request, pk, service):
        application = selectors.get_application(request.user, pk)
        service(application)
        return Response(ApplicationOutput(selectors.get_application(request.user, pk)).data)

    @extend_schema(request=None, responses={200: ApplicationOutput})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The host service accepts a visitor holding a seat."""
        return self._act(request, pk, lambda a: services.exploration_accept(actor=request.user, application=a))

    @extend_schema(request=None, responses={200: ApplicationOutput})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The host service declines: the seat goes to the first one waiting."""
        return self._act(request, pk, lambda a: services.exploration_decline(actor=request.user, application=a))

    @extend_schema(request=None, responses={200: ApplicationOutput})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """The visitor withdraws."""
        return self._act(request, pk, lambda a: services.exploration_cancel(user=request.user, application=a))

    @extend_schema(request=None, responses={200: ApplicationOutput})
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        """Share your logbook with the host service (only them)."""
        return self._act(request, pk, lambda a: services.logbook_share(user=request.user, application=a))

    @extend_schema(methods=["GET"], request=None, responses={200: LogbookEntryOutput(many=True)})
    @extend_schema(methods=["POST"], request={"multipart/form-data": LogbookEntryInput},
                   responses={201: LogbookEntryOutput})
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def logbook(self, request, pk=None):
        """Your logbook (text and photos). Its author's only, and the host's once shared: 404 otherwise."""
        application = selectors.get_application(request.user, pk)
        if request.method == "POST":
            values = validated(LogbookEntryInput, request)
            entry = services.logbook_add(user=request.user, application=application, **values)
            return Response(LogbookEntryOutput(entry).data, status=status.HTTP_201_CREATED)
        if not permissions.user_can_view_logbook(request.user, application):
            raise Http404
        return Response(LogbookEntryOutput(selectors.logbook_of(request.user, application), many=True).data)

    @extend_schema(request=SummaryInput, responses={200: SummaryOutput})
    @action(detail=True, methods=["post"])
    def summary(self, request, pk=None):
        """Publish (or rewrite) your summary for every agent, from the day of the exploration on."""
        application = selectors.get_application(request.user, pk)
        values = validated(SummaryInput, request)
        summary = services.summary_publish(user=request.user, application=application, **values)
        return Response(SummaryOutput(selectors.get_summary(request.user, summary.pk)).data)


@extend_schema(tags=["explorations"])
class SummaryViewSet(mixins.ListModelMixin, _Base):
    """What agents learned, published for every agent; with the bricolages born from it."""

    serializer_class = SummaryOutput

    def get_queryset(self):
        return selectors.summaries(self.request.user)

    def retrieve(self, request, pk=None):
        return Response(SummaryOutput(selectors.get_summary(request.user, pk)).data)

    @extend_schema(request=LinkInput, responses={200: SummaryOutput})
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        """Say that a bricolage was born from this exploration."""
        summary = selectors.get_summary(request.user, pk)
        values = validated(LinkInput, request)
        bricolage = BricolagePage.objects.filter(pk=values["bricolage"]).first()
        from .. import permissions as wiki

        if bricolage is None or not wiki.user_can_view_bricolage(request.user, bricolage):
            raise Http404
        services.bricolage_born_from_set(user=request.user, bricolage=bricolage, summary=summary)
        return Response(SummaryOutput(selectors.get_summary(request.user, pk)).data)
