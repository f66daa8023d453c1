"""/api/bricolages/open-bricolage/: editions and their workshops for other front ends. The
programme is public (anyone reads it, without any agent's name: the leaders are given to agents
only); registering is for agents of any mairie (anonymous: 401, residents: 403); an organiser
announces an edition hosted by their mairie, whose organisers alone edit it and its workshops and
read the registrations (another mairie's: 403 before the body is read). Every write goes through
bricolages.openbricolage.services. The components are named OpenBricolage… (the wiki's and the
hackathon's serializers have a FeedbackOutput and a RegistrationOutput of their own)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response

from cms.api.auth import TokenAuthentication
from cms.api.inputs import validated
from cms.models import User

from ..api.views import WriteThrottle
from ..models import BricolagePage
from . import permissions, selectors, services
from .models import Registration

# --- serializers -------------------------------------------------------------------------------


class OpenBricolageLeaderOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="public_name")
    mairie = serializers.CharField(source="mairie.short_name", default=None)


@extend_schema_field({"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
                      "example": "10:00", "description": "Local time of day (Europe/Paris), HH:MM"})
class LocalTimeField(serializers.TimeField):
    """A time of day in Paris, "HH:MM": not JSON Schema's "time" format, which requires an offset."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class OpenBricolageWorkshopOutput(serializers.Serializer):
    id = serializers.IntegerField()
    edition = serializers.IntegerField(source="edition_id")
    title = serializers.CharField()
    description = serializers.CharField()
    starts_at = LocalTimeField()
    capacity = serializers.IntegerField()
    free = serializers.SerializerMethodField()
    bricolage_title = serializers.SerializerMethodField(help_text="Title of the bricolage it presents; null once "
                                                                  "that bricolage is hidden or unpublished")
    bricolage = serializers.SerializerMethodField(help_text="Id of the bricolage (agents only), else null")
    leader = serializers.SerializerMethodField(help_text="Who leads it: for agents only, null for anyone else")

    def _agent(self):
        return permissions.user_can_see_leaders(self.context["request"].user)

    def get_free(self, workshop) -> int:
        return selectors.free(workshop.capacity, getattr(workshop, "confirmed_count", 0))

    def get_bricolage_title(self, workshop) -> str | None:
        shown = selectors.bricolage_shown(workshop)
        return shown.title if shown is not None else None

    def get_bricolage(self, workshop) -> int | None:
        shown = selectors.bricolage_shown(workshop)
        return shown.pk if shown is not None and self._agent() else None

    @extend_schema_field(OpenBricolageLeaderOutput(allow_null=True))
    def get_leader(self, workshop):
        return OpenBricolageLeaderOutput(workshop.leader).data if self._agent() else None


class OpenBricolageEditionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    date = serializers.DateField()
    place = serializers.CharField()
    description = serializers.CharField()
    mairie = serializers.CharField(source="mairie.short_name")
    capacity = serializers.IntegerField(help_text="Seats for the day without a workshop")
    free = serializers.SerializerMethodField()
    workshops = serializers.SerializerMethodField()
    presented_bricolages = serializers.SerializerMethodField(help_text="After the day: titles of the bricolages "
                                                                       "its workshops presented")
    url = serializers.CharField(source="get_absolute_url")

    def get_free(self, edition) -> int:
        return selectors.free(edition.capacity, getattr(edition, "confirmed_count", 0))

    @extend_schema_field(OpenBricolageWorkshopOutput(many=True))
    def get_workshops(self, edition):
        return OpenBricolageWorkshopOutput(edition.workshops.all(), many=True, context=self.context).data

    def get_presented_bricolages(self, edition) -> list[str]:
        return [b.title for b in selectors.presented_bricolages(edition)]


class OpenBricolageEditionInput(serializers.Serializer):
    title = serializers.CharField(max_length=160)
    date = serializers.DateField()
    place = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=4000)
    capacity = serializers.IntegerField(min_value=1, max_value=500)


class OpenBricolageWorkshopInput(serializers.Serializer):
    edition = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    title = serializers.CharField(max_length=160)
    description = serializers.CharField(max_length=3000)
    starts_at = LocalTimeField()
    capacity = serializers.IntegerField(min_value=1, max_value=100)
    leader = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="Id of an agent")
    bricolage = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class OpenBricolageWorkshopUpdateInput(OpenBricolageWorkshopInput):
    edition = None


class OpenBricolageRegisterInput(serializers.Serializer):
    workshop = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True,
                                        default=None, help_text="A workshop of the edition, or null for the day")
    first_time = serializers.BooleanField(default=False, help_text="« I have never used the wiki »")


class OpenBricolageRegistrationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    edition = serializers.IntegerField(source="edition_id")
    workshop = serializers.IntegerField(source="workshop_id", allow_null=True)
    first_time = serializers.BooleanField()
    status = serializers.ChoiceField(choices=Registration.Status.choices)
    position = serializers.SerializerMethodField(help_text="Place on the waiting list (1 = next), else null")

    def get_position(self, registration) -> int | None:
        return selectors.position(registration)


class OpenBricolageRegistrantOutput(OpenBricolageRegistrationOutput):
    agent = OpenBricolageLeaderOutput()


class OpenBricolageRegistrationsOutput(serializers.Serializer):
    registrations = serializers.IntegerField(help_text="Agents holding a seat")
    first_timers = serializers.IntegerField(help_text="Of them, those who never used the wiki")
    waiting = serializers.IntegerField()
    registrants = OpenBricolageRegistrantOutput(many=True)


class OpenBricolageFeedbackInput(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    text = serializers.CharField(max_length=3000)


class OpenBricolageFeedbackOutput(serializers.Serializer):
    id = serializers.IntegerField()
    rating = serializers.IntegerField()
    text = serializers.CharField()
    agent = OpenBricolageLeaderOutput()
    updated_at = serializers.DateTimeField()


# --- permissions -------------------------------------------------------------------------------


class ReadOrAgent(BasePermission):
    """Reading the programme: anyone. Writing: agents (the services say which agents)."""

    message = gettext_lazy("Les inscriptions à Open Bricolage sont réservées aux agents des mairies.")

    def has_permission(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS") and view.action in ("list", "retrieve"):
            return True
        return permissions.user_is_agent(request.user)


class IsOrganiser(BasePermission):
    message = gettext_lazy("Seuls les organisateurs préparent Open Bricolage.")

    def has_permission(self, request, view):
        return permissions.user_can_organise(request.user)


# --- views -------------------------------------------------------------------------------------


class _Base(viewsets.GenericViewSet):
    # Token first: an anonymous request gets 401 with a WWW-Authenticate header, not 403.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_throttles(self):
        return [WriteThrottle()] if self.request.method not in ("GET", "HEAD", "OPTIONS") else []


@extend_schema(tags=["open-bricolage"])
class EditionViewSet(mixins.ListModelMixin, _Base):
    """Open Bricolage editions and their programme, latest first."""

    serializer_class = OpenBricolageEditionOutput
    permission_classes = [ReadOrAgent]

    def get_permissions(self):
        if self.action in ("create", "partial_update", "registrations"):
            return [IsOrganiser()]
        if self.action in ("list", "retrieve"):
            return [AllowAny()]
        return super().get_permissions()

    def get_queryset(self):
        return selectors._editions().order_by("-date", "-id")

    def _out(self, pk):
        return OpenBricolageEditionOutput(selectors.get_edition(pk), context={"request": self.request}).data

    def retrieve(self, request, pk=None):
        return Response(self._out(pk))

    @extend_schema(request=OpenBricolageEditionInput, responses={201: OpenBricolageEditionOutput})
    def create(self, request):
        """Announce an edition (organisers)."""
        values = validated(OpenBricolageEditionInput, request)
        edition = services.edition_create(actor=request.user, **values)
        return Response(self._out(edition.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=OpenBricolageEditionInput(partial=True), responses={200: OpenBricolageEditionOutput})
    def partial_update(self, request, pk=None):
        """Change an edition to come (the host mairie's organisers)."""
        edition = selectors.get_edition(pk)
        services.require_host(request.user, edition)
        values = validated(OpenBricolageEditionInput, request, partial=True)
        services.edition_update(actor=request.user, edition=edition, **values)
        return Response(self._out(pk))

    @extend_schema(request=OpenBricolageRegisterInput, responses={201: OpenBricolageRegistrationOutput})
    @action(detail=True, methods=["post"])
    def register(self, request, pk=None):
        """Register to a workshop (or to the day, `workshop` null), with the first-time flag. A full
        workshop puts you on its waiting list (status `waiting`); registering twice is 409; a past
        edition 400."""
        edition = selectors.get_edition(pk)
        values = validated(OpenBricolageRegisterInput, request)
        workshop = None
        if values["workshop"] is not None:
            workshop = edition.workshops.filter(pk=values["workshop"]).first()
            if workshop is None:
                raise serializers.ValidationError({"workshop": [_("Cet atelier n'est pas au programme de cette édition.")]})
        registration = services.registration_create(user=request.user, edition=edition, workshop=workshop,
                                                    first_time=values["first_time"])
        return Response(OpenBricolageRegistrationOutput(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: OpenBricolageRegistrationOutput})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Withdraw your registration before the day."""
        registration = services.registration_cancel(user=request.user, edition=selectors.get_edition(pk))
        return Response(OpenBricolageRegistrationOutput(registration).data)

    @extend_schema(responses={200: OpenBricolageRegistrationsOutput})
    @action(detail=True, methods=["get"])
    def registrations(self, request, pk=None):
        """The counts (registrations, first-timers, waiting) and the registrants: the host mairie's
        organisers only."""
        edition = selectors.get_edition(pk)
        services.require_host(request.user, edition)
        counts = selectors.counts(request.user, edition)
        registrants = selectors.registrants(request.user, edition)
        return Response(OpenBricolageRegistrationsOutput({"registrations": counts.registrations,
                                             "first_timers": counts.first_timers, "waiting": counts.waiting,
                                             "registrants": registrants}).data)

    @extend_schema(methods=["GET"], request=None, responses={200: OpenBricolageFeedbackOutput(many=True)})
    @extend_schema(methods=["POST"], request=OpenBricolageFeedbackInput, responses={200: OpenBricolageFeedbackOutput})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def feedback(self, request, pk=None):
        """The agents' feedback (agents only); from the day on, an agent who came gives theirs."""
        edition = selectors.get_edition(pk)
        if request.method == "POST":
            values = validated(OpenBricolageFeedbackInput, request)
            given = services.feedback_give(user=request.user, edition=edition, **values)
            return Response(OpenBricolageFeedbackOutput(given).data)
        return Response(OpenBricolageFeedbackOutput(selectors.feedback_of(request.user, edition), many=True).data)


@extend_schema(tags=["open-bricolage"])
class WorkshopViewSet(_Base):
    """Workshops of the programme: added and changed by organisers."""

    permission_classes = [IsOrganiser]
    serializer_class = OpenBricolageWorkshopOutput

    def _out(self, workshop):
        workshop = selectors._workshops().filter(pk=workshop.pk).first()
        return OpenBricolageWorkshopOutput(workshop, context={"request": self.request}).data

    @staticmethod
    def _refs(values):
        """Ids to objects: an unknown leader or bricolage is a 400 on its field."""
        errors = {}
        if "leader" in values:
            values["leader"] = User.objects.filter(pk=values["leader"]).first()
            if values["leader"] is None:
                errors["leader"] = [_("Agent inconnu.")]
        if "bricolage" in values:
            values["bricolage"] = BricolagePage.objects.filter(pk=values["bricolage"]).first()
            if values["bricolage"] is None:
                errors["bricolage"] = [_("Bricolage inconnu.")]
        if errors:
            raise serializers.ValidationError(errors)
        return values

    @extend_schema(request=OpenBricolageWorkshopInput, responses={201: OpenBricolageWorkshopOutput})
    def create(self, request):
        values = validated(OpenBricolageWorkshopInput, request)
        edition = selectors.get_edition(values.pop("edition"))
        services.require_host(request.user, edition)
        workshop = services.workshop_add(actor=request.user, edition=edition, **self._refs(values))
        return Response(self._out(workshop), status=status.HTTP_201_CREATED)

    @extend_schema(request=OpenBricolageWorkshopUpdateInput(partial=True), responses={200: OpenBricolageWorkshopOutput})
    def partial_update(self, request, pk=None):
        workshop = selectors.get_workshop(pk)
        services.require_host(request.user, workshop.edition)
        values = validated(OpenBricolageWorkshopUpdateInput, request, partial=True)
        workshop = services.workshop_update(actor=request.user, workshop=workshop, **self._refs(values))
        return Response(self._out(workshop))
