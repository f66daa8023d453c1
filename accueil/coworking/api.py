"""/api/accueil/coworking/: the spaces and their free desks are public; agents of any mairie book and cancel
(token or session); each mairie's organisers invite; invitees book through their invitation's private key.
Every write goes through accueil.coworking.services."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response

from cms.api.auth import TokenAuthentication
from cms.api.inputs import validated
from cms.mairies import require_mairie

from . import selectors, services
from .models import LIVE, Booking, Half
from .permissions import count_booking_change, user_can_book_coworking, user_can_invite

AUTH = [TokenAuthentication, SessionAuthentication]  # token first: anonymous gets 401, not 403


class CanBook(BasePermission):
    message = _lazy("Le coworking est réservé aux agents des mairies et aux structures invitées.")

    def has_permission(self, request, view):
        return user_can_book_coworking(request.user)


class CanInvite(BasePermission):
    message = _lazy("Seuls les organisateurs de cette mairie invitent au coworking.")

    def has_permission(self, request, view):
        return user_can_invite(request.user, require_mairie(request))


class CoworkingSpaceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    location = serializers.CharField()
    capacity = serializers.IntegerField(help_text="Desks")
    equipment = serializers.ListField(source="equipment_list", child=serializers.CharField())
    accessibility_notes = serializers.CharField()
    opening = serializers.SerializerMethodField()

    def get_opening(self, space) -> str:
        return selectors.opening_text(space)


class CoworkingSlotOutput(serializers.Serializer):
    date = serializers.DateField()
    half = serializers.ChoiceField(choices=Half.choices)
    open = serializers.BooleanField()
    free = serializers.IntegerField(help_text="Free desks (0 when closed)")
    occupied_by = serializers.CharField(allow_null=True, help_text="The Occupai event that holds the lent room")
    bookable = serializers.BooleanField()


class CoworkingBookingInput(serializers.Serializer):
    space = serializers.IntegerField(min_value=1, max_value=2**62)
    date = serializers.DateField()
    half = serializers.ChoiceField(choices=Half.choices)


class CoworkingBookingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    space = serializers.IntegerField(source="space_id")
    space_name = serializers.CharField(source="space.name")
    mairie = serializers.CharField(source="space.mairie.slug")
    date = serializers.DateField()
    half = serializers.CharField()
    desk = serializers.IntegerField()
    cancelled = serializers.SerializerMethodField()

    def get_cancelled(self, booking) -> bool:
        return booking.cancelled_at is not None


class CoworkingInvitationInput(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    name = serializers.CharField(max_length=120)
    organisation = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)


class CoworkingInvitationOutput(serializers.Serializer):
    """For the mairie's organisers only (the invitee's name and address are personal data)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    organisation = serializers.CharField()
    email = serializers.CharField()
    valid_until = serializers.DateField()
    revoked = serializers.SerializerMethodField()
    key = serializers.CharField(help_text="The invitee's private key (their booking link)")

    def get_revoked(self, invitation) -> bool:
        return invitation.revoked_at is not None


def _space(request, pk):
    return get_object_or_404(selectors.spaces_for(require_mairie(request)), pk=pk)


@extend_schema(tags=["accueil"], responses=CoworkingSpaceOutput(many=True))
@api_view(["GET"])
@permission_classes([AllowAny])
def space_list(request):
    """The co-working spaces of this mairie."""
    return Response(CoworkingSpaceOutput(selectors.spaces_for(require_mairie(request)), many=True).data)


@extend_schema(tags=["accueil"], responses=CoworkingSlotOutput(many=True),
               parameters=[OpenApiParameter("days", int, description="1 to 31 (14)")])
@api_view(["GET"])
@permission_classes([AllowAny])
def space_availability(request, pk):
    """The space's free desks per half-day, from today."""
    raw = request.query_params.get("days", "14")
    days = int(raw) if raw.isdigit() and 1 <= int(raw) <= 31 else None
    if days is None:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError({"days": _("Un nombre de jours de 1 à 31.")})
    return Response(CoworkingSlotOutput(selectors.availability(_space(request, pk), days=days), many=True).data)


def _book(request, data, **booker):
    space = _space(request, data["space"])
    count_booking_change(request, booker.get("invitation"))
    booking = services.booking_create(space=space, day=data["date"], half=data["half"], **booker)
    return Response(CoworkingBookingOutput(booking).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["accueil"], request=CoworkingBookingInput, responses={200: CoworkingBookingOutput(many=True), 201: CoworkingBookingOutput})
@api_view(["GET", "POST"])
@authentication_classes(AUTH)
@permission_classes([CanBook])
def bookings(request):
    """GET: my upcoming bookings (every mairie). POST: book a desk of this mairie for a half-day."""
    if request.method == "GET":
        mine = selectors.bookings_of(user=request.user, upcoming_from=timezone.localdate())
        return Response(CoworkingBookingOutput(mine, many=True).data)
    return _book(request, validated(CoworkingBookingInput, request), user=request.user)


@extend_schema(tags=["accueil"], request=None, responses=CoworkingBookingOutput)
@api_view(["POST"])
@authentication_classes(AUTH)
@permission_classes([CanBook])
def booking_cancel(request, pk):
    """Cancel one of my bookings (someone else's: 404)."""
    booking = get_object_or_404(Booking.objects.filter(LIVE).select_related("space__mairie"), pk=pk,
                                user=request.user)
    count_booking_change(request)
    return Response(CoworkingBookingOutput(services.booking_cancel(booking=booking, user=request.user)).data)


@extend_schema(tags=["accueil"], request=CoworkingInvitationInput,
               responses={200: CoworkingInvitationOutput(many=True), 201: CoworkingInvitationOutput})
@api_view(["GET", "POST"])
@authentication_classes(AUTH)
@permission_classes([CanInvite])
def invitations(request):
    """The mairie's organisers: list the invitations, or invite (the private link is emailed)."""
    mairie = require_mairie(request)
    if request.method == "GET":
        return Response(CoworkingInvitationOutput(selectors.invitations_of(mairie), many=True).data)
    data = validated(CoworkingInvitationInput, request)
    invitation = services.invitation_create(mairie=mairie, user=request.user,
                                            link_base=request.build_absolute_uri("/"), **data)
    return Response(CoworkingInvitationOutput(invitation).data, status=status.HTTP_201_CREATED)


def _invitation(request, key):
    invitation = selectors.invitation_by_key(key)
    if invitation is None or invitation.mairie_id != require_mairie(request).pk:
        raise NotFound()
    return invitation


@extend_schema(tags=["accueil"], request=CoworkingBookingInput, responses={200: CoworkingBookingOutput(many=True), 201: CoworkingBookingOutput})
@api_view(["GET", "POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def invitation_bookings(request, key):
    """An invitee, by their invitation's private key: GET their upcoming bookings, POST to book."""
    invitation = _invitation(request, key)
    if request.method == "GET":
        mine = selectors.bookings_of(invitation=invitation, upcoming_from=timezone.localdate())
        return Response(CoworkingBookingOutput(mine, many=True).data)
    return _book(request, validated(CoworkingBookingInput, request), invitation=invitation)


@extend_schema(tags=["accueil"], request=None, responses=CoworkingBookingOutput)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def invitation_booking_cancel(request, key, pk):
    """An invitee cancels one of their bookings."""
    invitation = _invitation(request, key)
    booking = get_object_or_404(Booking.objects.filter(LIVE).select_related("space__mairie"), pk=pk,
                                invitation=invitation)
    count_booking_change(request, invitation)
    return Response(CoworkingBookingOutput(services.booking_cancel(booking=booking, invitation=invitation)).data)


@extend_schema(tags=["accueil"], request=None, responses={204: None})
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def invitation_forget(request, key):
    """An invitee erases their invitation, its bookings and their name, organisation and email."""
    services.invitation_forget(invitation=_invitation(request, key))
    return Response(status=status.HTTP_204_NO_CONTENT)
