"""API tokens that expire: DRF's token (`Authorization: Token <key>`, one per account) refused once older
than API_TOKEN_DAYS (deleted then, so that the account asks for a new one at /api/auth/token/). A password
change deletes them too (cms.models.User.save), and the account page revokes them. A staff account without
its required second factor (cms/second_factor.py) is refused, whatever token it holds."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions


def token_days() -> int:
    """API_TOKEN_DAYS (default 90): how long a token lives; 0 means forever."""
    return int(getattr(settings, "API_TOKEN_DAYS", 90))


def expires_at(token):
    days = token_days()
    return token.created + timedelta(days=days) if days else None


def is_expired(token, now=None) -> bool:
    end = expires_at(token)
    return end is not None and (now or timezone.now()) >= end


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(_("Jeton expiré : demandez-en un nouveau (/api/auth/token/)."))
        from cms import second_factor

        if second_factor.second_factor_required(user) and not second_factor.has_second_factor(user):
            # A token made before the role asked for a second factor: not a way around it.
            raise exceptions.PermissionDenied(_("Votre rôle demande une double authentification : configurez-la "
                                                "sur la page « Mon compte »."), code="second_factor_required")
        return user, token
