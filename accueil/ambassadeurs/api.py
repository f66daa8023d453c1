"""/api/accueil/ambassadors/ and /api/accueil/help-requests/: the accepted ambassadors' public profiles are
public (no contact detail, ever); a logged-in resident applies and asks for help; the mairie's organisers
read and decide the applications; a request is its two people's only (404 to anyone else). Every write
goes through accueil.ambassadeurs.services."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from cms import on_behalf
from cms.api.auth import TokenAuthentication
from cms.api.inputs import validated
from cms.mairies import require_mairie

from . import selectors, services
from .models import Ambassador
from .permissions import count_help_write, decide_refusal, side_of

AUTH = [TokenAuthentication, SessionAuthentication]  # token first: anonymous gets 401, not 403
PK_MAX = 2**62


class AmbassadorOutput(serializers.Serializer):
    """An ambassador's public profile: never an email, a phone or an account name."""

    id = serializers.IntegerField()
    public_name = serializers.CharField()
    quartier = serializers.CharField(source="quartier.name", allow_null=True, default=None)
    languages = serializers.ListField(source="language_list", child=serializers.CharField())
    help_with = serializers.CharField()


class AmbassadorApplicationOutput(AmbassadorOutput):
    """For the mairie's organisers, and for the applicant: the application as well."""

    motivation = serializers.CharField()
    status = serializers.CharField()
    applied_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


class AmbassadorApplicationInput(serializers.Serializer):
    public_name = serializers.CharField(max_length=60)
    quartier = serializers.IntegerField(min_value=1, max_value=PK_MAX, required=False, allow_null=True, default=None)
    languages = serializers.CharField(max_length=200)
    help_with = serializers.CharField(max_length=1000)
    motivation = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AmbassadorDecisionInput(serializers.Serializer):
    accept = serializers.BooleanField()


class HelpRequestInput(serializers.Serializer):
    ambassador = serializers.IntegerField(min_value=1, max_value=PK_MAX)
    subject = serializers.CharField(max_length=120)
    message = serializers.CharField(max_length=4000)


class HelpMessageInput(serializers.Serializer):
    body = serializers.CharField(max_length=4000)


class HelpContactInput(serializers.Serializer):
    share = serializers.BooleanField()


class HelpConsentInput(serializers.Serializer):
    kind = serializers.CharField(max_length=20)
    given = serializers.BooleanField()


class HelpActInput(serializers.Serializer):
    kind = serializers.CharField(max_length=20)
    choice = serializers.IntegerField(min_value=1, max_value=PK_MAX)


class HelpMessageOutput(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.SerializerMethodField(help_text='"me", "other" or "platform"')
    body = serializers.CharField()
    link = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_author(self, message) -> str:
        if message.author_id is None:
            return "platform"
        return "me" if message.author_id == self.context["user"].pk else "other"


class HelpRequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.CharField()
    ambassador = AmbassadorOutput()
    side = serializers.SerializerMethodField(help_text='"neighbour" or "ambassador": which side I am on')
    open = serializers.BooleanField(source="is_open")
    created_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    i_share_contact = serializers.SerializerMethodField()
    other_contact = serializers.SerializerMethodField(help_text="The other side's email, only when both agreed")
    consents = serializers.SerializerMethodField(help_text="Kinds of acts the neighbour consents to now")

    def get_side(self, help_request) -> str:
        return side_of(self.context["user"], help_request)

    def get_i_share_contact(self, help_request) -> bool:
        return getattr(help_request, f"{self.get_side(help_request)}_shares_contact")

    def get_other_contact(self, help_request) -> str | None:
        if not help_request.contacts_visible:
            return None
        other = help_request.neighbour if self.get_side(help_request) == "ambassador" else help_request.ambassador.user
        return other.email

    def get_consents(self, help_request) -> list[str]:
        return sorted(services.live_consents(help_request))


class HelpThreadOutput(HelpRequestOutput):
    messages = serializers.SerializerMethodField()
    acts = serializers.SerializerMethodField(help_text="What the ambassador may do with consent, and its choices")

    def get_messages(self, help_request) -> list[dict]:
        return HelpMessageOutput(selectors.thread(help_request), many=True, context=self.context).data

    def get_acts(self, help_request) -> list[dict]:
        return [{"kind": a.kind, "label": str(a.label()), "consent": str(a.consent()),
                 "choices": [{"id": pk, "label": text} for pk, text in a.choices(help_request.ambassador.mairie)]}
                for a in on_behalf.acts()]


def _public(request, pk):
    return get_object_or_404(selectors.public_ambassadors(require_mairie(request)), pk=pk)


@extend_schema(tags=["accueil"], request=AmbassadorApplicationInput,
               responses={200: AmbassadorOutput(many=True), 201: AmbassadorApplicationOutput})
@api_view(["GET", "POST"])
@authentication_classes(AUTH)
@permission_classes([AllowAny])
def ambassadors(request):
    """GET: the mairie's ambassadors (public profiles). POST: apply to be one (a confirmed account)."""
    mairie = require_mairie(request)
    if request.method == "GET":
        return Response(AmbassadorOutput(selectors.public_ambassadors(mairie), many=True).data)
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    count_help_write(request)
    ambassador = services.ambassador_apply(user=request.user, mairie=mairie, **validated(AmbassadorApplicationInput, request))
    return Response(AmbassadorApplicationOutput(ambassador).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["accueil"], responses=AmbassadorOutput)
@api_view(["GET"])
@permission_classes([AllowAny])
def ambassador_detail(request, pk):
    """One ambassador's public profile."""
    return Response(AmbassadorOutput(_public(request, pk)).data)


@extend_schema(tags=["accueil"], responses=AmbassadorApplicationOutput(many=True))
@api_view(["GET"])
@authentication_classes(AUTH)
@permission_classes([IsAuthenticated])
def applications(request):
    """The mairie's organisers: the applications to decide, oldest first."""
    mairie = require_mairie(request)
    refusal = decide_refusal(request.user, mairie)
    if refusal is not None:
        raise refusal
    return Response(AmbassadorApplicationOutput(selectors.applications(mairie), many=True).data)


@extend_schema(tags=["accueil"], request=AmbassadorDecisionInput, responses=AmbassadorApplicationOutput)
@api_view(["POST"])
@authentication_classes(AUTH)
@permission_classes([IsAuthenticated])
def decide(request, pk):
    """The mairie's organisers accept or decline an application (409 once decided)."""
    mairie = require_mairie(request)
    refusal = decide_refusal(request.user, mairie)
    if refusal is not None:
        raise refusal
    ambassador = get_object_or_404(Ambassador.objects.filter(mairie=mairie), pk=pk)
    accept = validated(AmbassadorDecisionInput, request)["accept"]
    return Response(AmbassadorApplicationOutput(services.ambassador_decide(ambassador=ambassador, user=request.user,
                                                                 accept=accept)).data)


@extend_schema(tags=["accueil"], request=None, responses=AmbassadorApplicationOutput)
@api_view(["POST"])
@authentication_classes(AUTH)
@permission_classes([IsAuthenticated])
def stop(request, pk):
    """The ambassador stops, or an organiser of the mairie ends the role; open requests are closed."""
    mairie = require_mairie(request)
    ambassador = get_object_or_404(Ambassador.objects.filter(mairie=mairie), pk=pk)
    return Response(AmbassadorApplicationOutput(services.ambassador_stop(ambassador=ambassador, user=request.user)).data)


def _context(request):
    return {"user": request.user}


@extend_schema(tags=["accueil"], request=HelpRequestInput,
               responses={200: HelpRequestOutput(many=True), 201: HelpThreadOutput})
@api_view(["GET", "POST"])
@authentication_classes(AUTH)
@permission_classes([IsAuthenticated])
def help_requests(request):
    """GET: the requests I made or received (every mairie). POST: ask one of this mairie's ambassadors."""
    if request.method == "GET":
        found = selectors.requests_of(request.user).prefetch_related("consents")
        return Response(HelpRequestOutput(found, many=True, context=_context(request)).data)
    data = validated(HelpRequestInput, request)
    ambassador = _public(request, data.pop("ambassador"))
    count_help_write(request)
    created = services.help_request_create(ambassador=ambassador, user=request.user, **data)
    return Response(HelpThreadOutput(selectors.request_for(request.user, created.pk), context=_context(request)).data,
                    status=status.HTTP_201_CREATED)


def _request(request, pk):
    found = selectors.request_for(request.user, pk)
    if found is None:
        raise Http404
    return found


def _thread(request, pk, code=status.HTTP_200_OK):
    return Response(HelpThreadOutput(_request(request, pk), context=_context(request)).data, status=code)


@extend_schema(tags=["accueil"], responses=HelpThreadOutput)
@api_view(["GET"])
@authentication_classes(AUTH)
@permission_classes([IsAuthenticated])
def help_request_detail(request, pk):
    """A request and its thread, for its two people only (404 for anyone else)."""
    return _thread(request, pk)


@extend_schema(tags=["accueil"], request=HelpMessageInput, responses={201: HelpThreadOutput})
@api_view(["POST"])
@authentication_classes(AUTH)
@permission_classes([IsAuthenticated])
def help_message(request, pk):
    """Write in the thread; the other side is told without seeing my contact details."""
    found = _request(request, pk)
    body = validated(HelpMessageInput, request)["body"]
    count_help_write(request)
    services.help_message_add(help_request=found, user=request.user, body=body)
    return _thread(request, pk, status.HTTP_201_CREATED)


@extend_schema(tags=["accueil"], request=HelpContactInput, responses=HelpThreadOutput)
@api_view(["POST"])
@authentication_classes(AUTH)
@permission_classes([IsAuthenticated])
def help_contact(request, pk):
    """Agree (or no longer agree) to show my email to the other side: shown when both agree."""
    found = _request(request, pk)
    services.help_contact_share(help_request=found, user=request.user, share=validated(HelpContactInput, request)["share"])
    return _thread(request, pk)


@extend_schema(tags=["accueil"], request=HelpConsentInput, responses=HelpThreadOutput)
@api_view(["POST"])
@authentication_classes(AUTH)
@permission_classes([IsAuthenticated])
def help_consent(request, pk):
    """The neighbour gives or withdraws a consent (kind: "carnet" or "ticket")."""
    found = _request(request, pk)
    services.help_consent(help_request=found, user=request.user, **validated(HelpConsentInput, request))
    return _thread(request, pk)


@extend_schema(tags=["accueil"], request=HelpActInput, responses={201: HelpThreadOutput})
@api_view(["POST"])
@authentication_classes(AUTH)
@permission_classes([IsAuthenticated])
def help_act(request, pk):
    """The ambassador acts for the neighbour with their live consent: opens a carnet (choice: a démarche's id)
    or takes a ticket (choice: a service's id)."""
    found = _request(request, pk)
    data = validated(HelpActInput, request)
    count_help_write(request)
    services.help_act(help_request=found, user=request.user, **data)
    return _thread(request, pk, status.HTTP_201_CREATED)


@extend_schema(tags=["accueil"], request=None, responses=HelpThreadOutput)
@api_view(["POST"])
@authentication_classes(AUTH)
@permission_classes([IsAuthenticated])
def help_close(request, pk):
    """Either side closes the request (409 when closed already)."""
    services.help_close(help_request=_request(request, pk), user=request.user)
    return _thread(request, pk)
