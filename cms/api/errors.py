"""One error shape for the whole API: {"detail": message, "code": code, "errors": {field: [messages]}}."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cms.errors import ServiceError, TooMany
from cms.transactions import rollback_if_writing


def _messages(value):
    """Every message under a field, flat: a list's item errors ({0: [...]}) and nested fields too."""
    if isinstance(value, dict):
        return [m for item in value.values() for m in _messages(item)]
    if isinstance(value, list):
        return [m for item in value for m in _messages(item)]
    return [str(value)]


def _field_errors(detail):
    if isinstance(detail, dict):
        return {key: _messages(value) for key, value in detail.items()}
    return None


def _sent_a_token(context) -> bool:
    request = context.get("request")
    if request is None:
        return False
    scheme = get_authorization_header(request).split(b" ", 1)[0]
    return scheme.lower() == TokenAuthentication.keyword.lower().encode()


def exception_handler(exc, context):
    request = context.get("request")
    if request is not None:
        rollback_if_writing(request)  # as DRF does under ATOMIC_REQUESTS (cms.transactions)
    if isinstance(exc, ServiceError):
        response = Response({**exc.extra, "detail": str(exc.message), "code": exc.code}, status=exc.status_code)
        if isinstance(exc, TooMany):
            response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Introuvable."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, (exceptions.AuthenticationFailed, exceptions.NotAuthenticated)) and _sent_a_token(context):
        # DRF takes 401 or 403 from the first authentication class (the session: 403). A client whose
        # token is revoked (password changed) or wrong must learn to authenticate again: 401.
        response.status_code = status.HTTP_401_UNAUTHORIZED
        response["WWW-Authenticate"] = TokenAuthentication.keyword
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail) or {"non_field_errors": [str(m) for m in exc.detail]}
        first = next(iter(errors.values()), [""])
        message = first[0] if len(errors) == 1 and first else _("Certaines données ne sont pas valides.")
        response.data = {"detail": message, "code": "invalid", "errors": errors}
        response.status_code = status.HTTP_400_BAD_REQUEST
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        response.data = {"detail": str(detail if not isinstance(detail, (dict, list)) else exc.default_detail),
                         "code": getattr(detail, "code", exc.default_code)}
    return response
