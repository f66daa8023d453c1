"""HTML doors to the engine: plain forms that post here, then go back where they came from.
Each view calls the same service as the API, through cms.web.

`support` and `withdraw` are the one HTML vote door of every app (an Occupai proposal, a Bureau
project, an amendment...): the form posts the object's reference (`target`, "app_label.model:pk")
and `next`, the page it came from."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cms import roles
from cms.errors import ServiceError
from cms.mairies import mairie_for_request
from cms.web import act, button, safe_next

from . import preferences, registry, selectors, services
from .forms import NotificationPreferencesForm, ReportForm
from .notification_kinds import Kind


def _on_target(view):
    """A button on one participatory object: logged in, POST only, the object posted as `target`."""
    @login_required
    @require_POST
    @functools.wraps(view)
    def wrapped(request):
        return view(request, registry.resolve_for_request(request.POST.get("target", ""), request))
    return wrapped


def _support_done(request, target, said, said_in_budget):
    """What a support or a withdrawal says; in a context with a budget (an Occupai call), with
    how many supports the user has left there."""
    left = services.supports_left(user=request.user, target=target)
    if left is None:
        return said
    return said_in_budget + " " + ngettext("Il vous reste %(n)d soutien dans cet appel.",
                                           "Il vous reste %(n)d soutiens dans cet appel.", left) % {"n": left}


@_on_target
def support(request, target):
    return act(request, lambda: services.support_add(user=request.user, target=target),
               success=lambda _count: _support_done(request, target, _("Votre soutien est enregistré. Merci !"),
                                                    _("Merci pour votre soutien !")))


@_on_target
def withdraw(request, target):
    return act(request, lambda: services.support_withdraw(user=request.user, target=target),
               success=lambda _count: _support_done(request, target, _("Votre soutien est retiré."),
                                                    _("Soutien retiré.")))


@_on_target
def follow(request, target):
    return act(request, lambda: services.follow_add(user=request.user, target=target),
               success=_("Vous suivez désormais cet élément : vous serez prévenu·e de ses nouvelles."))


@_on_target
def unfollow(request, target):
    return act(request, lambda: services.follow_remove(user=request.user, target=target),
               success=_("Vous ne suivez plus cet élément."))


@_on_target
def comment(request, target):
    return act(request, lambda: services.comment_post(user=request.user, target=target,
                                                      text=request.POST.get("text", ""),
                                                      parent_id=request.POST.get("parent") or None),
               success=_("Votre commentaire est publié."))


@login_required
@require_http_methods(["GET", "POST"])
def report(request):
    ref = request.POST.get("target") or request.GET.get("target", "")
    target = registry.resolve_for_request(ref, request)
    next_url = safe_next(request)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return act(request, lambda: services.report_add(user=request.user, target=target,
                                                        reason=form.cleaned_data["reason"],
                                                        note=form.cleaned_data["note"]),
                   success=_("Merci : l'équipe de modération va examiner ce contenu."))
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
            service, done = services.moderation_restore, _("Contenu rétabli.")
        else:
            service, done = services.moderation_hide, _("Contenu masqué ; l'auteur·rice est prévenu·e du motif.")
        return act(request, lambda: service(actor=request.user, target=target, reason=reason), success=done)
    return render(request, "participation/moderation.html", {"entries": selectors.open_reports(mairie)})


def preferences_panel(request):
    """The account page's part (cms.sections.register_account_panel): the preferences form."""
    return {"form": NotificationPreferencesForm(current=preferences.preferences_for(request.user))}


@button
@never_cache
def notification_preferences(request):
    """The account page's preferences form posts here, and goes back to the account page."""
    form = NotificationPreferencesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez, pour chaque type, « tout de suite », « un résumé par jour » ou "
                                  "« jamais »."))
        return HttpResponseRedirect(reverse("account") + "#notifications-preferences")
    return act(request, lambda: services.notification_preferences_update(user=request.user,
                                                                         changes=form.cleaned_data),
               success=_("Vos choix de notifications sont enregistrés."),
               default=reverse("account") + "#notifications-preferences")


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no session and no token of ours
@never_cache
@require_http_methods(["GET", "POST"])
def notification_unsubscribe(request, token):
    """One-click unsubscribe from an email, without logging in. GET only shows what the button
    will do (mail scanners follow links); POST, from the page or from the mail client, does it.
    The signed token is the only authority; a bad one gets a clear page and 400."""
    if request.method == "GET":
        try:
            user_id, kinds = preferences.read_unsubscribe_token(token)
        except signing.BadSignature:
            return _unsubscribe_refused(request)
        return render(request, "participation/unsubscribe.html",
                      {"kinds": [Kind(k).label for k in kinds], "done": False})
    try:
        _user, kinds = services.notification_unsubscribe(token=token)
    except ServiceError as exc:
        return _unsubscribe_refused(request, exc.message)
    return render(request, "participation/unsubscribe.html", {"kinds": [Kind(k).label for k in kinds], "done": True})


def _unsubscribe_refused(request, message=None):
    return render(request, "participation/unsubscribe.html", {
        "refused": message or _("Ce lien de désabonnement n'est pas valable (abîmé ou expiré). Choisissez vos "
                                "notifications depuis votre compte.")}, status=400)
