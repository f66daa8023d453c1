"""Error pages: JSON under /api/, accessible HTML elsewhere; never a bare 500 on bad input."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cms.errors import StorageUnavailable


def _answer(request, status, message, code):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": code}, status=status)
    return render(request, "cms/error.html", {"status": status, "message": message}, status=status)


def bad_request(request, exception=None):
    return _answer(request, 400, _("La requête n'est pas valide."), "bad_request")


def permission_denied(request, exception=None):
    return _answer(request, 403, _("Vous n'avez pas accès à cette page."), "forbidden")


def page_not_found(request, exception=None):
    return _answer(request, 404, _("Cette page n'existe pas ou plus."), "not_found")


def server_error(request):
    return _answer(request, 500, _("Une erreur est survenue de notre côté. Réessayez dans un moment."), "server_error")


def csrf_failure(request, reason=""):
    return _answer(request, 403, _("Le formulaire a expiré ou n'a pas été envoyé depuis ce site. "
                                   "Rechargez la page et réessayez."), "csrf_failed")


def storage_unavailable(request, exception):
    """The file store did not answer (cms.errors.StorageUnavailable): 503, and the request's writes
    are already rolled back (cms.transactions)."""
    response = _answer(request, exception.status_code, str(exception.message), exception.code)
    response["Retry-After"] = "60"
    return response


class StorageUnavailableMiddleware:
    """A view (the Wagtail admin's document upload, any form) that met a file store down answers 503
    with the French message, not 500. The API says the same through its error handler."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, StorageUnavailable):
            return storage_unavailable(request, exception)
        return None
