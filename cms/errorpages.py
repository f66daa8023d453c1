"""Error pages: JSON under /api/, accessible HTML elsewhere; never a bare 500 on bad input."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


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
