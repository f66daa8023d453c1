"""Security headers and the login lockout page.

- `SecurityHeadersMiddleware`: django-csp's middleware with one strict policy for the public
  pages (settings.CONTENT_SECURITY_POLICY: no inline script or style) and a looser one for the
  Wagtail admin, which needs inline scripts and styles (settings.CONTENT_SECURITY_POLICY_ADMIN,
  applied to its URL_PREFIXES only). It also sends Permissions-Policy. The headers built from the
  settings alone are built once and kept (only a nonce, when a page asked for one, is spliced in
  for each response); a response carrying its own policy (django-csp's decorators) is built as
  django-csp does. The kept headers are dropped when a CSP setting changes (tests).
- `lockout_response`: what django-axes answers after too many failed logins: a French page
  (JSON under /api/), status 429, with Retry-After.
"""

import http.client

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy, default_config
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# What SecurityHeadersMiddleware built from the settings alone: (report_only, admin, nonce?) -> the
# header with _NONCE_MARK where the nonce goes; "prefixes" -> the excluded and admin URL prefixes.
_POLICIES = {}
# Stands for the nonce in a kept header: a NUL byte can be in no header value, so it is in no policy.
_NONCE_MARK = "\x00nonce\x00"
# What django-csp's decorators set on a response: its own policy, built for it alone.
_RESPONSE_POLICY = {False: ("_csp_config", "_csp_update", "_csp_replace"),
                    True: ("_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")}
_CSP_SETTINGS = {"CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY", "CONTENT_SECURITY_POLICY_ADMIN"}


@receiver(setting_changed)
def _forget_policies(setting, **kwargs):
    if setting in _CSP_SETTINGS:
        _POLICIES.clear()


def _prefixes():
    prefixes = _POLICIES.get("prefixes")
    if prefixes is None:
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        policy_ro = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or {}
        admin = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None) or {}
        prefixes = _POLICIES["prefixes"] = (tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ()),
                                            tuple(policy_ro.get("EXCLUDE_URL_PREFIXES", None) or ()),
                                            tuple(admin.get("URL_PREFIXES", ())) if admin else None)
    return prefixes


class SecurityHeadersMiddleware(CSPMiddleware):
    def _is_admin(self, request):
        admin_prefixes = _prefixes()[2]
        return admin_prefixes is not None and request.path_info.startswith(admin_prefixes)

    def _admin_policy(self, request):
        if self._is_admin(request):
            return default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return None

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None:
            parts.config = self._admin_policy(request)
        return parts

    def _policy(self, request, response, report_only):
        """The header django-csp's middleware would send (without its `dataclasses.asdict`, which
        deep-copies the policy for each response): kept when it comes from the settings alone."""
        if any(getattr(response, name, None) is not None for name in _RESPONSE_POLICY[report_only]):
            parts = self.get_policy_parts(request=request, response=response, report_only=report_only)
            return build_policy(parts.config, parts.update, parts.replace, parts.nonce, report_only=report_only)
        nonce = getattr(request, "_csp_nonce", None)
        admin = not report_only and self._is_admin(request)
        key = (report_only, admin, bool(nonce))
        policy = _POLICIES.get(key)
        if policy is None:
            config = self._admin_policy(request) if admin else None
            policy = _POLICIES[key] = build_policy(config, None, None, _NONCE_MARK if nonce else None,
                                                   report_only=report_only)
        return policy.replace(_NONCE_MARK, nonce) if nonce else policy

    def process_response(self, request, response):
        # django-csp 4.0's CSPMiddleware.process_response, the policies built by _policy.
        if response.status_code in (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND) and settings.DEBUG:
            return response
        excluded, excluded_ro, _admin = _prefixes()
        csp = self._policy(request, response, report_only=False)
        if (csp and HEADER not in response and getattr(response, "_csp_exempt", False) is False
                and not request.path_info.startswith(excluded)):
            response[HEADER] = csp
        csp_ro = self._policy(request, response, report_only=True)
        if (csp_ro and HEADER_REPORT_ONLY not in response and getattr(response, "_csp_exempt_ro", False) is False
                and not request.path_info.startswith(excluded_ro)):
            response[HEADER_REPORT_ONLY] = csp_ro
        # Once the header is written, a nonce asked for would not be in it: raise, as django-csp does.
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
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


def axes_username(request, credentials=None) -> str | None:
    """django-axes' AXES_USERNAME_CALLABLE: what was typed to log in, whichever door (allauth's form posts
    `login`, its backend gets `username` or `email`, the API's token endpoint `username`)."""
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("email") or credentials.get("login")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login") or request.POST.get("username")
    return str(value).strip().lower() or None if value else None
