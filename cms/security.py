"""Security headers and the login lockout page.

- `SecurityHeadersMiddleware`: django-csp's middleware with one strict policy for the public
  pages (settings.CONTENT_SECURITY_POLICY: no inline script or style) and a looser one for the
  Wagtail admin, which needs inline scripts and styles (settings.CONTENT_SECURITY_POLICY_ADMIN,
  applied to its URL_PREFIXES only). It also sends Permissions-Policy.
- `lockout_response`: what django-axes answers after too many failed logins: a French page
  (JSON under /api/), status 429, with Retry-After.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class SecurityHeadersMiddleware(CSPMiddleware):
    def _admin_policy(self, request):
        admin = settings.CONTENT_SECURITY_POLICY_ADMIN
        if admin and request.path_info.startswith(tuple(admin.get("URL_PREFIXES", ()))):
            return default_config(admin["DIRECTIVES"])
        return None

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None:
            parts.config = self._admin_policy(request)
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        policy = settings.PERMISSIONS_POLICY
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


def _cooloff_seconds():
    from axes.helpers import get_cool_off

    cool_off = get_cool_off()
    return int(cool_off.total_seconds()) if cool_off else 0


def lockout_message(seconds: int) -> str:
    if seconds <= 0:
        return _("Trop d'essais de connexion ont échoué pour ce compte depuis votre connexion internet. "
                 "Contactez la mairie pour le débloquer.")
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "Trop d'essais de connexion ont échoué pour ce compte depuis votre connexion internet. "
        "Par sécurité, la connexion est bloquée pendant %(n)d minute.",
        "Trop d'essais de connexion ont échoué pour ce compte depuis votre connexion internet. "
        "Par sécurité, la connexion est bloquée pendant %(n)d minutes.",
        minutes,
    ) % {"n": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' AXES_LOCKOUT_CALLABLE: a clear French 429 with Retry-After."""
    from django.http import JsonResponse
    from django.shortcuts import render
    from django.urls import reverse

    seconds = _cooloff_seconds()
    message = lockout_message(seconds)
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    else:
        response = render(request, "security/too_many.html",
                          {"heading": _("Connexion temporairement bloquée"), "message": message,
                           "reset_url": reverse("password_reset")}, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


class MalformedFormMiddleware:
    """A form posted without one of its fields (a hand-made or truncated request: Wagtail's
    StreamField reads its `-count` field unguarded) is the client's fault: 400, not 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.core.exceptions import BadRequest
        from django.utils.datastructures import MultiValueDictKeyError

        if isinstance(exception, MultiValueDictKeyError) and request.method != "GET":
            raise BadRequest(_("Formulaire incomplet : le champ %(field)s manque.") % {"field": exception.args[0]})
        return None


def login_attempts_expire() -> int:
    """Delete the failed-login records (username, address) whose lockout window is over. django-axes
    drops them only when someone logs in again; the scheduler (cms.schedule) runs this, so that the
    privacy page's "kept AXES_COOLOFF_TIME" holds even when nobody does."""
    from axes.models import AccessAttempt
    from django.utils import timezone

    deleted, _by_model = AccessAttempt.objects.filter(attempt_time__lte=timezone.now() - settings.AXES_COOLOFF_TIME).delete()
    return deleted
