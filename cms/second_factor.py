"""Two-factor for staff (allauth.mfa): éditeur·rices, organisateur·rices, agents and superusers reach
nothing but their account pages until they have set up a second factor, and cannot remove it while
they hold a staff role (cms.accounts.MFAAdapter). Residents may add one. The API's token endpoint asks
staff for a code as well (cms.api.views.obtain_token): a token is not a way around it."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import roles

# What a staff member without a second factor may still reach: their account (the pages that set one
# up, logout, the password), the static files and the language switch.
OPEN_PREFIXES = ("/compte/", "/static/", "/i18n/", "/jsi18n/", "/healthz", "/favicon.ico")


def holds_staff_role(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.is_staff or roles.is_agent(user)))


def second_factor_required(user) -> bool:
    return settings.MFA_REQUIRED_FOR_STAFF and holds_staff_role(user)


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def code_is_valid(user, code: str) -> bool:
    """A TOTP code of the account's authenticator, once (allauth marks a used code)."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return bool(authenticator and code and authenticator.wrap().validate_code(code))


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not request.path.startswith(OPEN_PREFIXES)
                and second_factor_required(user) and not has_second_factor(user)):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request):
        message = _("Votre rôle dans l'équipe de la mairie demande une double authentification : "
                    "configurez-la avant de continuer.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "second_factor_required"}, status=403)
        messages.warning(request, message)
        return redirect(reverse("mfa_activate_totp"))
