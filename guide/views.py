"""HTML pages of le carnet du citoyen: the resident's carnets, one carnet (its checklist, its
sharings), the printable liaison sheet, and the agents' list and counter form. Thin: each action is
a service of guide.services, called through cms.web; a carnet the user may not read is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
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
    if request.method == "POST" and form.is_valid() and form.cleaned_data["who"] == CounterOpenForm.NO_ACCOUNT:
        data = form.cleaned_data
        outcome = attempt(request, lambda: services.carnet_open_without_account(
            agent=request.user, mairie=mairie, demarche_id=data["demarche"], holder_label=data["holder_label"],
            consent=data["consent"]), form=form,
            success=_("Le carnet est ouvert et partagé avec votre service. Imprimez la feuille de liaison : son code "
                      "n'est montré qu'une fois."))
        if outcome:
            carnet, code = outcome.value
            # Shown once, on the sheet printed next (carnet_print pops it): only its hash is stored.
            request.session[COUNTER_CODE_KEY] = {"carnet": carnet.pk, "code": code}
            return HttpResponseRedirect(reverse("guide:carnet-print", args=[carnet.pk]))
        status = outcome.status
    elif request.method == "POST" and form.is_valid():
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
    pending = request.session.get(COUNTER_CODE_KEY)
    code = None
    if isinstance(pending, dict) and pending.get("carnet") == carnet.pk:
        del request.session[COUNTER_CODE_KEY]
        code = pending.get("code") if carnet.without_account else None
    return render(request, "guide/carnet_print.html", {
        "carnet": carnet, "missing": carnet.missing_items(), "items": list(carnet.items.all()), "claim_code": code,
        "code_url": request.build_absolute_uri(reverse("guide:carnet-code"))})


COUNTER_CODE_KEY = "guide_counter_code"  # the code of the carnet just opened at the counter, until printed
CODE_CARNET_KEY = "guide_code_carnet"  # the carnet this browser opened with its code (its id)


def _code_attempt(request):
    """Count one code submitted (the `carnet_code` rate limit, per account or address): None, or the 429."""
    from cms.ratelimit import _key_for, hit, too_many_response

    wait = hit("carnet_code", _key_for(request, "user_or_ip"))
    return too_many_response(request, wait) if wait is not None else None


def _carnet_by_session(request):
    """The carnet without account this browser opened with its code, while it still has none; else None."""
    from .models import Carnet

    pk = request.session.get(CODE_CARNET_KEY)
    if not isinstance(pk, int):
        return None
    carnet = (Carnet.objects.filter(pk=pk, owner__isnull=True, claimed_at__isnull=True)
              .select_related("mairie", "demarche").prefetch_related("items", "shares__service").first())
    if carnet is None or carnet.mairie_id != getattr(require_mairie(request), "pk", None):
        request.session.pop(CODE_CARNET_KEY, None)
        return None
    return carnet


@never_cache
def carnet_code(request):
    """/carnets/code/: a person without an account reads their carnet with the code of their liaison sheet
    (typed in a form: never in a URL); this browser then keeps it open until « Fermer ». Wrong codes are
    rate-limited and answer alike, unknown or already used."""
    from .forms import ClaimCodeForm

    mairie = require_mairie(request)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = ClaimCodeForm()
    status = 200
    if request.method == "POST" and request.POST.get("action") == "forget":
        request.session.pop(CODE_CARNET_KEY, None)
        messages.success(request, _("Le carnet est fermé sur ce navigateur."))
        return HttpResponseRedirect(reverse("guide:carnet-code"))
    if request.method == "POST":
        refused = _code_attempt(request)
        if refused is not None:
            return refused
        form = ClaimCodeForm(request.POST)
        status = form_status(form)
        carnet = services.carnet_by_code(form.cleaned_data["code"]) if form.is_valid() else None
        if carnet is not None and carnet.mairie_id == mairie.pk:
            request.session.cycle_key()
            request.session[CODE_CARNET_KEY] = carnet.pk
            return HttpResponseRedirect(reverse("guide:carnet-code"))
        if form.is_valid():
            form.add_error(None, _("Aucun carnet à lire n'a ce code. Vérifiez-le sur la feuille de liaison ; un "
                                   "carnet déjà rattaché à un compte se lit depuis ce compte."))
            status = 404
    carnet = _carnet_by_session(request) if status == 200 else None
    context = {"mairie": mairie, "form": form, "carnet": carnet}
    if carnet is not None:
        shares = list(carnet.shares.all())
        context.update({"items": list(carnet.items.all()), "missing": carnet.missing_items(),
                        "active_shares": [s for s in shares if s.is_active],
                        "past_shares": [s for s in shares if not s.is_active]})
    return render(request, "guide/carnet_code.html", context, status=status)


def carnet_code_revoke(request, share_id):
    """The person without an account withdraws a sharing of the carnet opened with its code (POST)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    carnet = _carnet_by_session(request)
    if carnet is None:
        raise Http404("No carnet opened with a code.")
    attempt(request, lambda: services.carnet_share_revoke_with_code(carnet=carnet, share_id=share_id),
            success=lambda share: _("« %(service)s » ne voit plus ce carnet.") % {"service": share.service.name})
    return HttpResponseRedirect(reverse("guide:carnet-code"))


@never_cache
@login_required
def carnet_claim(request):
    """« Rattacher un carnet »: a resident with an account (confirmed email) attaches the carnet opened for
    them at the counter, with its code; it then is theirs, in « Mes carnets »."""
    from .forms import ClaimCodeForm

    require_mairie(request)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = ClaimCodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        refused = _code_attempt(request)
        if refused is not None:
            return refused
        status = form_status(form)
        if form.is_valid():
            outcome = attempt(request, lambda: services.carnet_claim(user=request.user, code=form.cleaned_data["code"]),
                              form=form, success=_("Le carnet est rattaché à votre compte : il est dans « Mes "
                                                   "carnets », et son code ne sert plus."))
            if outcome:
                request.session.pop(CODE_CARNET_KEY, None)
                return HttpResponseRedirect(_detail_url(outcome.value))
            status = outcome.status
    return render(request, "guide/carnet_claim.html", {"form": form, "confirmed": roles.is_confirmed(request.user)},
                  status=status)


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


@require_safe
def booklet(request, page):
    """The guide's printable booklet (GuideIndexPage's `livret/` route): a PDF in `?lang=` (a content
    language; anything else: French), built from live, public pages only (guide.booklet)."""
    from django.http import HttpResponse

    from . import booklet as booklets

    language = booklets.booklet_language(request.GET.get("lang"))
    pdf = booklets.booklet_pdf(page, language, getattr(page, "mairie", None))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="livret-{page.slug}-{language}.pdf"'
    response["Content-Language"] = language
    return response
