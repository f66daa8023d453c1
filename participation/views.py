"""HTML doors to the engine: plain forms that post here, then go back where they came from.
Each view calls the same service as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cms import roles
from cms.errors import ServiceError
from cms.mairies import mairie_for_request

from . import registry, selectors, services
from .forms import ReportForm


def _back(request, fallback="/"):
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = fallback
    return HttpResponseRedirect(target)


def _run(request, action, success):
    """Run a service; show its message; never a 500 for a refused action."""
    try:
        action()
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _back(request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(request)
    messages.success(request, success)
    return _back(request)


def _target(request):
    return registry.resolve_for_request(request.POST.get("target", ""), request)


@login_required
@require_POST
def support(request):
    target = _target(request)
    return _run(request, lambda: services.support_add(user=request.user, target=target),
                _("Votre soutien est enregistré. Merci !"))


@login_required
@require_POST
def withdraw(request):
    target = _target(request)
    return _run(request, lambda: services.support_withdraw(user=request.user, target=target),
                _("Votre soutien est retiré."))


@login_required
@require_POST
def follow(request):
    target = _target(request)
    return _run(request, lambda: services.follow_add(user=request.user, target=target),
                _("Vous suivez désormais cet élément : vous serez prévenu·e de ses nouvelles."))


@login_required
@require_POST
def unfollow(request):
    target = _target(request)
    return _run(request, lambda: services.follow_remove(user=request.user, target=target),
                _("Vous ne suivez plus cet élément."))


@login_required
@require_POST
def comment(request):
    target = _target(request)
    return _run(request, lambda: services.comment_post(user=request.user, target=target,
                                                       text=request.POST.get("text", ""),
                                                       parent_id=request.POST.get("parent") or None),
                _("Votre commentaire est publié."))


@login_required
@require_http_methods(["GET", "POST"])
def report(request):
    ref = request.POST.get("target") or request.GET.get("target", "")
    target = registry.resolve_for_request(ref, request)
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_add(user=request.user, target=target, reason=form.cleaned_data["reason"],
                                note=form.cleaned_data["note"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Merci : l'équipe de modération va examiner ce contenu."))
        return HttpResponseRedirect(next_url)
    title = getattr(target, "title", None) or getattr(target, "comment", "")[:80]
    return render(request, "participation/report.html", {"form": form, "ref": ref, "next": next_url, "title": title},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    if request.method == "POST":
        services.notification_mark_read(user=request.user)
        return HttpResponseRedirect(request.path)
    return render(request, "participation/notifications.html",
                  {"notifications": selectors.notifications_for(request.user)[:100]})


@login_required
@require_http_methods(["GET", "POST"])
def moderation(request):
    mairie = mairie_for_request(request)
    if not roles.is_organiser_of(request.user, mairie):
        raise PermissionDenied
    if request.method == "POST":
        target = registry.resolve_any(request.POST.get("target", ""))
        reason = request.POST.get("reason", "")
        if request.POST.get("decision") == "restore":
            action = lambda: services.moderation_restore(actor=request.user, target=target, reason=reason)  # noqa: E731
            done = _("Contenu rétabli.")
        else:
            action = lambda: services.moderation_hide(actor=request.user, target=target, reason=reason)  # noqa: E731
            done = _("Contenu masqué ; l'auteur·rice est prévenu·e du motif.")
        return _run(request, action, done)
    return render(request, "participation/moderation.html", {"entries": selectors.open_reports(mairie)})
