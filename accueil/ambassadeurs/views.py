"""HTML pages of the ambassadeurs: the public list and profiles (anyone), applying (a resident), the
organisers' applications, and the private requests (their two people only: anyone else gets a 404).
Thin: each action is a service of accueil.ambassadeurs.services, through cms.web."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cms import on_behalf
from cms.mairies import require_mairie
from cms.web import act, attempt, button, form_status, login_first, require_mairie_role, require_user
from participation.models import Quartier

from . import selectors, services
from .forms import ActForm, ApplicationForm, HelpRequestForm, MessageForm
from .models import Ambassador
from .permissions import count_help_write, side_of, user_can_decide


def _private(response):
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_safe
def index(request):
    """The mairie's ambassadors, for anyone to read (public fields only)."""
    mairie = require_mairie(request)
    mine = selectors.roles_of(request.user).filter(mairie=mairie).first()
    return render(request, "accueil/ambassadeurs/index.html", {
        "mairie": mairie, "ambassadors": selectors.public_ambassadors(mairie), "mine": mine,
        "can_decide": user_can_decide(request.user, mairie)})


def _ask(request, ambassador, form):
    def ask():
        count_help_write(request)
        return services.help_request_create(ambassador=ambassador, user=request.user, **form.cleaned_data)
    return attempt(request, ask, form=form, success=_("Votre demande est envoyée : la réponse arrivera ici, et "
                                                      "vous serez prévenu·e."))


@never_cache
def profile(request, pk):
    """An ambassador's public profile, and the form to ask them for help (a logged-in resident)."""
    mairie = require_mairie(request)
    ambassador = get_object_or_404(selectors.public_ambassadors(mairie), pk=pk)
    form = None
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = HelpRequestForm(request.POST)
        status = form_status(form)
        if form.is_valid():
            outcome = _ask(request, ambassador, form)
            if outcome:
                return HttpResponseRedirect(reverse("accueil:help-request", args=[outcome.value.pk]))
            status = outcome.status
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(request, "accueil/ambassadeurs/profile.html", {
        "mairie": mairie, "ambassador": ambassador, "form": form or HelpRequestForm(),
        "is_self": ambassador.user_id == getattr(request.user, "pk", None)}, status=status)


@never_cache
@login_first
def apply(request):
    """A resident offers to be an ambassador of this mairie."""
    mairie = require_mairie(request)
    require_user(request)
    quartiers = Quartier.objects.filter(mairie=mairie)
    form = ApplicationForm(request.POST if request.method == "POST" else None, quartiers=quartiers)
    status = form_status(form)
    if request.method == "POST" and form.is_valid():
        def apply_now():
            count_help_write(request)
            return services.ambassador_apply(user=request.user, mairie=mairie, **form.cleaned_data)
        outcome = attempt(request, apply_now, form=form,
                          success=_("Merci ! Votre candidature est transmise aux organisateur·rices de la mairie."))
        if outcome:
            return HttpResponseRedirect(reverse("accueil:ambassadors"))
        status = outcome.status
    elif request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(request, "accueil/ambassadeurs/apply.html", {
        "mairie": mairie, "form": form, "mine": selectors.roles_of(request.user).filter(mairie=mairie).first()},
        status=status)


def _organiser_mairie(request):
    return require_mairie_role(request, user_can_decide)


@never_cache
@require_safe
@login_first
def applications(request):
    """The organisers: applications to study, and the ambassadors of the mairie (with their stop button)."""
    mairie = _organiser_mairie(request)
    return render(request, "accueil/ambassadeurs/applications.html", {
        "mairie": mairie, "pending": selectors.applications(mairie),
        "active": selectors.applications(mairie, Ambassador.Status.ACCEPTED)})


@button
def decide(request, pk, decision):
    mairie = _organiser_mairie(request)
    if decision not in ("accepter", "refuser"):
        raise Http404
    ambassador = get_object_or_404(Ambassador.objects.filter(mairie=mairie), pk=pk)
    accept = decision == "accepter"
    return act(request, lambda: services.ambassador_decide(ambassador=ambassador, user=request.user, accept=accept),
               success=(_("Candidature de %(name)s acceptée : son profil est public.") if accept else
                        _("Candidature de %(name)s refusée.")) % {"name": ambassador.public_name},
               default=reverse("accueil:ambassador-applications"))


@button
def stop(request, pk):
    """The ambassador stops, or an organiser of the mairie ends the role."""
    mairie = require_mairie(request)
    ambassador = get_object_or_404(Ambassador.objects.filter(mairie=mairie), pk=pk)
    if ambassador.user_id != request.user.pk and not user_can_decide(request.user, mairie):
        raise PermissionDenied
    return act(request, lambda: services.ambassador_stop(ambassador=ambassador, user=request.user),
               success=_("%(name)s n'est plus sur la liste des ambassadeur·rices.") % {"name": ambassador.public_name},
               default=reverse("accueil:ambassadors"))


@never_cache
@require_safe
@login_first
def my_requests(request):
    """The requests I made and, as an ambassador, those I received (every mairie)."""
    require_user(request)
    found = list(selectors.requests_of(request.user))
    return _private(render(request, "accueil/ambassadeurs/requests.html", {
        "made": [r for r in found if r.neighbour_id == request.user.pk],
        "received": [r for r in found if r.neighbour_id != request.user.pk],
        "roles": selectors.roles_of(request.user)}))


def _request(request, pk):
    found = selectors.request_for(request.user, pk)
    if found is None:
        raise Http404
    return found


@never_cache
@login_first
def help_request(request, pk):
    """The thread of a request, for its two people only (404 for anyone else): messages, contact details
    when both agreed, the neighbour's consents, and the ambassador's acts with those consents."""
    require_user(request)
    found = _request(request, pk)
    form = None
    status = 200
    if request.method == "POST":
        form = MessageForm(request.POST)
        status = form_status(form)
        if form.is_valid():
            def write():
                count_help_write(request)
                return services.help_message_add(help_request=found, user=request.user, body=form.cleaned_data["body"])
            outcome = attempt(request, write, form=form)
            if outcome:
                return HttpResponseRedirect(reverse("accueil:help-request", args=[found.pk]) + "#dernier")
            status = outcome.status
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    side = side_of(request.user, found)
    consents = services.live_consents(found)
    acts = [{"act": a, "consent": consents.get(a.kind),
             "form": ActForm(label=a.choice_label(), choices=a.choices(found.ambassador.mairie),
                             auto_id=f"id_{a.kind}_%s")}
            for a in on_behalf.acts()]
    return _private(render(request, "accueil/ambassadeurs/request.html", {
        "help_request": found, "side": side, "messages_list": selectors.thread(found), "acts": acts,
        "form": form or MessageForm(), "ambassador": found.ambassador, "neighbour": found.neighbour}, status=status))


@button
def request_action(request, pk, action):
    """The thread's buttons: share my contact (or not), give or withdraw a consent, act, close."""
    found = _request(request, pk)
    back = reverse("accueil:help-request", args=[found.pk])
    post = request.POST
    if action == "contact":
        share = post.get("share") == "1"
        return act(request, lambda: services.help_contact_share(help_request=found, user=request.user, share=share),
                   success=_("Votre adresse e-mail sera montrée à l'autre personne si elle est d'accord aussi.") if share
                   else _("Votre adresse e-mail n'est plus montrée."), default=back)
    if action == "accord":
        given = post.get("given") == "1"
        return act(request, lambda: services.help_consent(help_request=found, user=request.user,
                                                          kind=post.get("kind", ""), given=given),
                   success=_("Votre accord est enregistré.") if given else _("Votre accord est retiré."), default=back)
    if action == "agir":
        def act_now():
            count_help_write(request)
            return services.help_act(help_request=found, user=request.user, kind=post.get("kind", ""),
                                     choice=post.get("choice", ""))
        return act(request, act_now, success=lambda done: done.text, default=back)
    if action == "clore":
        return act(request, lambda: services.help_close(help_request=found, user=request.user),
                   success=_("Demande close."), default=back)
    raise Http404
