"""HTML pages of le carnet du citoyen: the resident's carnets, one carnet (its checklist, its
sharings), the printable liaison sheet, and the agents' list and counter form. Thin: each action is
a service of guide.services, called through cms.web; a carnet the user may not read is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cms import roles
from cms.errors import ServiceError
from cms.mairies import require_mairie
from cms.uploads import serve_checked_file
from cms.web import act, attempt, button, form_status, refusal_status, refusal_text

from . import conf, permissions, selectors, services
from .forms import AgentPartForm, CounterOpenForm, ItemStateForm, ShareForm


def _carnet(request, pk):
    return selectors.carnet_for(request.user, require_mairie(request), pk)


def _detail_url(carnet):
    return reverse("guide:carnet", args=[carnet.pk])


@never_cache
@require_safe
@login_required
def carnet_list(request):
    """The resident's carnets on this mairie (linked from the account menu)."""
    mairie = require_mairie(request)
    carnets = selectors.carnets_of(request.user, mairie)
    return render(request, "guide/carnet_list.html", {
        "mairie": mairie, "open_carnets": [c for c in carnets if c.is_open],
        "closed_carnets": [c for c in carnets if not c.is_open], "guide": selectors.index_for_mairie(mairie),
        "is_agent": roles.is_agent_of(request.user, mairie)})


@never_cache
@require_safe
@login_required
def carnets_shared(request):
    """The agent's list: the carnets residents shared with the agent's services."""
    mairie = require_mairie(request)
    if not roles.is_agent_of(request.user, mairie):
        raise PermissionDenied(_("Réservé aux agents de cette mairie."))
    return render(request, "guide/carnets_shared.html", {
        "mairie": mairie, "carnets": selectors.carnets_shared_with(request.user, mairie),
        "services": selectors.agent_services(request.user, mairie)})


@button
def carnet_open(request):
    """« Ouvrir mon carnet » on a démarche's page."""
    mairie = require_mairie(request)
    outcome = attempt(request, lambda: services.carnet_open(user=request.user, mairie=mairie,
                                                            demarche_id=_int(request.POST.get("demarche"))),
                      success=_("Votre carnet est ouvert : cochez les documents au fur et à mesure."))
    if outcome:
        return HttpResponseRedirect(_detail_url(outcome.value))
    return HttpResponseRedirect(reverse("guide:carnets"))


def _int(raw):
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**62 else None


@never_cache
@login_required
def carnet_counter(request):
    """At the counter: an agent opens a carnet for a resident who has an account, with their consent."""
    mairie = require_mairie(request)
    if not permissions.user_can_open_carnet_for_someone(request.user, mairie):
        raise PermissionDenied(_("Réservé aux agents de cette mairie."))
    demarches = list(selectors.demarches_for(mairie))
    initial = {"demarche": _int(request.GET.get("demarche"))}
    form = CounterOpenForm(request.POST if request.method == "POST" else None, demarches=demarches, initial=initial)
    status = form_status(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(request, lambda: services.carnet_open_for_resident(
            agent=request.user, mairie=mairie, demarche_id=data["demarche"], resident_email=data["resident_email"],
            consent=data["consent"]), form=form, success=_("Le carnet est ouvert et partagé avec votre service."))
        if outcome:
            return HttpResponseRedirect(_detail_url(outcome.value))
        status = outcome.status
    return render(request, "guide/carnet_counter.html", {"mairie": mairie, "form": form}, status=status)


def _detail_context(request, carnet):
    user = request.user
    owner = permissions.user_is_owner(user, carnet)
    active = [s for s in carnet.shares.all() if s.is_active]
    shared_ids = {s.service_id for s in active}
    share_form = None
    if owner and carnet.is_open:
        choices = [s for s in selectors.services_for(carnet.mairie) if s.pk not in shared_ids]
        share_form = ShareForm(services=choices) if choices else None
    agent = permissions.user_serves_carnet(user, carnet)
    agent_form = AgentPartForm(initial={"next_appointment": carnet.next_appointment,
                                        "appointment_place": carnet.appointment_place,
                                        "agent_note": carnet.agent_note}) if agent and carnet.is_open else None
    states = ItemStateForm.base_fields["state"].choices
    if not agent:
        states = [c for c in states if c[0] != "verified"]
    return {"carnet": carnet, "is_owner": owner, "is_agent": agent, "active_shares": active,
            "document_max_bytes": conf.document_max_bytes(),
            "past_shares": [s for s in carnet.shares.all() if not s.is_active], "share_form": share_form,
            "agent_form": agent_form, "states": states, "items": list(carnet.items.all())}


@never_cache
@require_safe
@login_required
def carnet_detail(request, pk):
    carnet = _carnet(request, pk)
    return render(request, "guide/carnet_detail.html", _detail_context(request, carnet))


@never_cache
@require_safe
@login_required
def carnet_print(request, pk):
    """The one-page liaison sheet: the démarche, the documents still missing, the next appointment
    and the agent's note, for the next service to read."""
    carnet = _carnet(request, pk)
    return render(request, "guide/carnet_print.html", {"carnet": carnet, "missing": carnet.missing_items(),
                                                       "items": list(carnet.items.all())})


@button
def carnet_item(request, pk, item_id):
    carnet = _carnet(request, pk)
    return act(request, lambda: services.carnet_item_mark(user=request.user, carnet=carnet, item_id=item_id,
                                                          state=request.POST.get("state")),
               success=_("Document mis à jour."), default=_detail_url(carnet))


@button
def carnet_share(request, pk):
    carnet = _carnet(request, pk)
    return act(request, lambda: services.carnet_share(user=request.user, carnet=carnet,
                                                      service=request.POST.get("service") or ""),
               success=lambda share: _("Carnet partagé avec « %(service)s ».") % {"service": share.service.name},
               default=_detail_url(carnet))


@button
def carnet_revoke(request, pk, share_id):
    carnet = _carnet(request, pk)
    return act(request, lambda: services.carnet_share_revoke(user=request.user, carnet=carnet, share_id=share_id),
               success=lambda share: _("« %(service)s » ne voit plus ce carnet.") % {"service": share.service.name},
               default=_detail_url(carnet))


@button
def carnet_agent(request, pk):
    carnet = _carnet(request, pk)
    refusal = services.agent_part_refusal(request.user, carnet)
    if refusal is not None:  # authorisation before validation
        return act(request, lambda: services.carnet_agent_update(user=request.user, carnet=carnet),
                   default=_detail_url(carnet))  # refused, before reading what was sent
    form = AgentPartForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, carnet)
        context["agent_form"] = form
        return render(request, "guide/carnet_detail.html", context, status=400)
    data = form.cleaned_data
    return act(request, lambda: services.carnet_agent_update(
        user=request.user, carnet=carnet, next_appointment=data["next_appointment"],
        appointment_place=data["appointment_place"], agent_note=data["agent_note"]),
        success=_("Rendez-vous et note enregistrés."), default=_detail_url(carnet))


@button
def carnet_close(request, pk):
    carnet = _carnet(request, pk)
    return act(request, lambda: services.carnet_close(user=request.user, carnet=carnet),
               success=_("Carnet terminé."), default=_detail_url(carnet))


@button
def carnet_delete(request, pk):
    carnet = _carnet(request, pk)
    return act(request, lambda: services.carnet_delete(user=request.user, carnet=carnet),
               success=_("Carnet supprimé."), default=reverse("guide:carnets"), done=reverse("guide:carnets"))


@never_cache
@require_safe
@login_required
def carnet_document_file(request, pk, item_id):
    """The file attached to a document: for the owner and the agents of a service the carnet is
    shared with (revoked: 404); anyone else, or no file, a 404."""
    carnet = _carnet(request, pk)
    item = selectors.carnet_document_for(request.user, carnet, item_id)
    try:
        return serve_checked_file(request, item.document, filename=item.document_name or "document", inline=True)
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc


@button
def carnet_document_attach(request, pk, item_id):
    """The owner attaches a scan or photo (PDF or image) to a document; refused: the carnet again, with
    the reason next to the document's form, and the refusal's status."""
    carnet = _carnet(request, pk)
    item = selectors.carnet_item_for(carnet, item_id)
    try:
        services.carnet_document_attach(user=request.user, carnet=carnet, item_id=item.pk,
                                        upload=request.FILES.get("document"))
    except (ServiceError, ValidationError) as exc:
        context = _detail_context(request, carnet)
        context["document_error"] = {"item": item.pk, "text": refusal_text(exc)}
        return render(request, "guide/carnet_detail.html", context, status=refusal_status(exc))
    messages.success(request, _("Document joint : seuls vous et les services avec lesquels vous partagez ce carnet "
                                "peuvent l'ouvrir."))
    return HttpResponseRedirect(f"{_detail_url(carnet)}#item-{item.pk}")


@button
def carnet_document_remove(request, pk, item_id):
    carnet = _carnet(request, pk)
    item = selectors.carnet_item_for(carnet, item_id)
    return act(request, lambda: services.carnet_document_remove(user=request.user, carnet=carnet, item_id=item.pk),
               success=_("Le fichier joint est supprimé."), default=_detail_url(carnet))
