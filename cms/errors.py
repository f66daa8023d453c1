"""Errors that services raise. Views translate them: HTML shows the message, the API returns
JSON with the matching status. Django's ValidationError (400) and PermissionDenied (403)
are used as they are; these add what Django lacks."""

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    status_code = 400
    default_code = "invalid"

    def __init__(self, message, code=None, extra=None):
        super().__init__(str(message))
        self.message = message
        self.code = code or self.default_code
        self.extra = extra or {}  # more for API clients, e.g. {"existing": {"id": 3, "url": "/..."}}


class Conflict(ServiceError):
    """The request collides with the current state (a second support, a booked slot)."""

    status_code = 409
    default_code = "conflict"


class NotAllowed(ServiceError):
    """The user may not do this (not their mairie, not their role, not in the window)."""

    status_code = 403
    default_code = "forbidden"


class TooMany(ServiceError):
    status_code = 429
    default_code = "throttled"

    def __init__(self, message=None, retry_after=60):
        super().__init__(message or _("Trop de requêtes. Réessayez dans un moment."), "throttled")
        self.retry_after = retry_after


class StorageUnavailable(ServiceError):
    """The file store (the S3-compatible server of public media) does not answer: nothing was saved."""

    status_code = 503
    default_code = "storage_unavailable"

    def __init__(self, message=None):
        super().__init__(message or _("Le stockage des fichiers ne répond pas : rien n'a été enregistré. "
                                      "Réessayez dans quelques minutes."))
