from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.throttling import AnonRateThrottle

from cms import roles, second_factor
from cms.api.auth import expires_at, is_expired
from cms.mairies import mairie_for_request
from cms.security import lockout_response

from . import registry


class TokenRequest(serializers.Serializer):
    username = serializers.CharField(max_length=254, help_text="The username or the email address.")
    password = serializers.CharField(max_length=256, style={"input_type": "password"})
    code = serializers.CharField(max_length=12, required=False, allow_blank=True,
                                 help_text="The second factor's code (TOTP), required of staff accounts.")


class TokenResponse(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True, help_text="When it stops working (API_TOKEN_DAYS)")


class AuthThrottle(AnonRateThrottle):
    """Token requests per address (THROTTLE_AUTH), logged in or not: a password guesser gets 429."""

    scope = "auth"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


@extend_schema(request=TokenRequest, responses={200: TokenResponse}, tags=["auth"])
@api_view(["POST"])
@permission_classes([AllowAny])
@throttle_classes([AuthThrottle])
def obtain_token(request):
    """Exchange a username and password for an API token (send it as `Authorization: Token <token>`).
    Throttled per address; an account locked out by repeated failures (django-axes) gets 429, as on
    the HTML login."""
    data = TokenRequest(data=request.data)
    data.is_valid(raise_exception=True)
    # Django's own request: django-axes marks it when the username and address are locked out.
    user = authenticate(request._request, username=data.validated_data["username"],
                        password=data.validated_data["password"])
    if getattr(request._request, "axes_locked_out", False):
        return lockout_response(request._request)
    if user is None or not user.is_active:
        return Response({"detail": _("Nom d'utilisateur ou mot de passe incorrect."), "code": "authentication_failed"},
                        status=status.HTTP_401_UNAUTHORIZED)
    if second_factor.second_factor_required(user):
        if not second_factor.has_second_factor(user):
            return Response({"detail": _("Votre rôle demande une double authentification : configurez-la sur la "
                                         "page « Mon compte » avant de demander un jeton."),
                             "code": "second_factor_required"}, status=status.HTTP_403_FORBIDDEN)
        if not second_factor.code_is_valid(user, data.validated_data.get("code", "")):
            return Response({"detail": _("Code de double authentification manquant ou incorrect."),
                             "code": "second_factor_invalid"}, status=status.HTTP_401_UNAUTHORIZED)
    token, _created = Token.objects.get_or_create(user=user)
    if is_expired(token):  # an expired token is replaced, not handed out again
        token.delete()
        token = Token.objects.create(user=user)
    end = expires_at(token)
    return Response({"token": token.key, "expires_at": end.isoformat() if end else None})


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    mairie = serializers.CharField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())
    email_confirmed = serializers.BooleanField()


@extend_schema(responses={200: MeSerializer}, tags=["auth"])
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def me(request):
    """Who is asking: the logged-in user, their mairie and roles."""
    user = request.user
    return Response({
        "id": user.pk,
        "username": user.username,
        "display_name": user.public_name,
        "mairie": user.mairie.slug if user.mairie_id else None,
        "roles": [role for role in roles.ALL_ROLES if roles.has_role(user, role)],
        "email_confirmed": user.email_confirmed,
    })


@extend_schema(
    responses={200: inline_serializer("ApiRoot", {"mairie": serializers.CharField(allow_null=True),
                                                  "endpoints": serializers.DictField(child=serializers.CharField())})},
    tags=["root"],
)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request):
    """The API's entry point: every endpoint family, the schema and the docs."""
    mairie = mairie_for_request(request)
    endpoints = {
        "pages": request.build_absolute_uri("/api/v2/pages/"),
        "images": request.build_absolute_uri("/api/v2/images/"),
        "documents": request.build_absolute_uri("/api/v2/documents/"),
        "token": reverse("api-token", request=request),
        "me": reverse("api-me", request=request),
        "schema": reverse("api-schema", request=request),
        "docs": reverse("api-docs", request=request),
        "opendata": reverse("api-opendata", request=request),
    }
    for name, path in registry.endpoints():
        endpoints[name] = request.build_absolute_uri(path)
    return Response({"mairie": mairie.slug if mairie else None, "endpoints": endpoints})
