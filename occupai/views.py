"""Residents' pages. Each is reached through a route of the call page (or the Occupai index),
so it only ever answers on its own mairie's site. Writes go through occupai.services (and cms.web);
votes go through the engine's HTML door (participation.views.support), keyed by the proposal's
reference."""

import functools

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site

from cms.mairies import attach_mairie, mairie_exempt
from cms.uploads import serve_checked_file
from cms.web import act, attempt, button
from participation import selectors as engine_selectors
from participation import services as engine

from . import ical, selectors, services
from .forms import ProposalForm, SlotFormSet, slot_initial
from .models import CallPage, OccupaiIndexPage, Proposal
from .models.proposals import PHOTO_FOLDER, photo_storage
from .permissions import edit_refusal, propose_refusal, user_can_moderate_call, user_can_view_proposal
from .phases import Phase


def _render(request, template, context, status=200):
    return TemplateResponse(request, template, context, status=status)


def _refused(request, call, refusal):
    return _render(request, "occupai/refused.html", {"page": call, "call": call, "message": refusal.message},
                   status=refusal.status_code)


def _get_proposal(request, call, pk):
    attach_mairie(call)
    proposal = Proposal.objects.filter(call=call, pk=pk).select_related("author", "quartier", "event__space").first()
    if proposal is None:
        raise Http404
    proposal.call = call  # the page already loaded (its phase is cached on it)
    if not user_can_view_proposal(request.user, proposal):
        raise Http404
    return proposal


def _proposal_form(request, call, proposal=None):
    """The form page shared by new and edit: the service decides, the form presents."""
    user = request.user
    initial, slots = {}, []
    if proposal is not None:
        initial = {f: getattr(proposal, f) for f in ("title", "description", "kind", "proposer_type", "proposer_name",
                                                     "author_anonymous", "quartier", "expected_audience", "needs",
                                                     "needs_details", "accessibility", "image_alt")}
        initial["preferred_spaces"] = list(proposal.preferred_spaces.all())
        slots = slot_initial(proposal)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = ProposalForm(data, files, call=call, initial=initial)
    formset = SlotFormSet(data, prefix="creneaux", initial=slots)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and formset.is_valid():
            chosen = [f.slot() for f in formset.forms if f.slot() is not None]
            values = {"user": user, "fields": form.service_fields(), "spaces": form.cleaned_data["preferred_spaces"],
                      "slots": chosen, "submit": "submit" in request.POST}
            save = (functools.partial(services.proposal_create, call=call, **values) if proposal is None
                    else functools.partial(services.proposal_update, proposal=proposal, **values))
            # The slots' errors (no field of the form: the formset's) go above the form.
            done = attempt(request, save, form=form, fields={"slots": None}, success=_saved_message)
            if done:
                return redirect(_proposal_url(request, call, done.value.pk))
            status = done.status
    return _render(request, "occupai/proposal_form.html", {
        "page": call, "call": call, "proposal": proposal, "form": form, "formset": formset,
    }, status=status)


def _saved_message(proposal):
    if proposal.status == Proposal.Status.DRAFT:
        return _("Brouillon enregistré. Déposez-le quand il est prêt.")
    return _("Proposition déposée : les organisateur·rices la relisent avant de la publier.")


def _proposal_url(request, call, pk):
    return call.get_url(request) + call.reverse_subpage("proposal", args=[pk])


def proposal_new(request, call):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    refusal = propose_refusal(request.user, call)
    if refusal is not None:
        return _refused(request, call, refusal)
    return _proposal_form(request, call)


def proposal_edit(request, call, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    proposal = _get_proposal(request, call, pk)
    refusal = edit_refusal(request.user, proposal)
    if refusal is not None:
        return _refused(request, call, refusal)
    return _proposal_form(request, call, proposal)


def _button(view):
    """A button of one proposal (cms.web.button): POST only, logged in."""
    @button
    @functools.wraps(view)
    def wrapped(request, call, pk):
        return view(request, call, _get_proposal(request, call, pk))
    return wrapped


@_button
def proposal_submit(request, call, proposal):
    return act(request, lambda: services.proposal_submit(user=request.user, proposal=proposal),
               success=_("Proposition déposée : les organisateur·rices la relisent avant de la publier."),
               default=_proposal_url(request, call, proposal.pk))


@_button
def proposal_delete(request, call, proposal):
    return act(request, lambda: services.proposal_delete(user=request.user, proposal=proposal),
               success=_("Brouillon supprimé."), default=_proposal_url(request, call, proposal.pk),
               done=call.get_url(request) + call.reverse_subpage("mine"))


def proposal_detail(request, call, pk):
    proposal = _get_proposal(request, call, pk)
    user = request.user
    context = {
        "page": call, "call": call, "proposal": proposal,
        "is_author": user.is_authenticated and proposal.author_id == user.pk,
        "can_edit": edit_refusal(user, proposal) is None,
        "can_moderate": user_can_moderate_call(user, call),
        "event": getattr(proposal, "event", None) if proposal.status == Proposal.Status.SELECTED else None,
        "programme_public": selectors.programme_is_public(call),
        "voting": call.phase == Phase.VOTING and proposal.is_public(),
        "supported": engine_selectors.has_supported(user, proposal),
        "supports_left": engine.supports_left(user=user, target=proposal) if user.is_authenticated else None,
        "counts_visible": proposal.support_rule().counts_visible_to(user),
    }
    return _render(request, "occupai/proposal_detail.html", context)


def call_mine(request, call):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    proposals = selectors.own_proposals(request.user, call.mairie, call)
    return _render(request, "occupai/mine.html", {"page": call, "call": call, "proposals": proposals,
                                                  "propose_refusal": propose_refusal(request.user, call)})


def my_proposals(request, index):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    proposals = selectors.own_proposals(request.user, index.mairie)
    return _render(request, "occupai/mine.html", {"page": index, "index": index, "proposals": proposals})


# --- the programme -----------------------------------------------------------------------------


def programme(request, call):
    events = list(selectors.programme_events(call, request.user))
    by_space = request.GET.get("par") == "espace"
    return _render(request, "occupai/programme.html", {
        "page": call, "call": call, "events": events, "by_space": by_space,
        "days": selectors.events_by_day(events), "spaces": selectors.events_by_space(events),
        "programme_public": selectors.programme_is_public(call),
        "preview": not selectors.programme_is_public(call) and bool(events),
    })


def _get_event(request, call, pk):
    event = selectors.programme_events(call, request.user).filter(proposal_id=pk).first()
    if event is None:
        raise Http404
    event.call = call
    return event


def event_detail(request, call, pk):
    event = _get_event(request, call, pk)
    return _render(request, "occupai/event_detail.html", {
        "page": call, "call": call, "event": event, "proposal": event.proposal,
        "programme_public": selectors.programme_is_public(call)})


def agenda(request, index):
    events = list(selectors.mairie_events(index.mairie)) if index.mairie else []
    return _render(request, "occupai/agenda.html", {"page": index, "index": index, "events": events,
                                                    "days": selectors.events_by_day(events)})


# --- iCalendar feeds (Django URLs beside the pages: Wagtail page paths never contain a dot) ------


def _page_at(request, page_path, model):
    """The live, public page of this site at `page_path`, if it is a `model`."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    page = Page.objects.live().filter(url_path=site.root_page.url_path + page_path).first()
    page = page.specific if page is not None else None
    if not isinstance(page, model) or page.get_view_restrictions().exists():
        raise Http404
    return page


def programme_ics(request, page_path):
    call = _page_at(request, page_path, CallPage)
    events = selectors.programme_events(call)
    calendar = ical.calendar_for(events, name=f"{call.title} · {call.mairie.short_name}",
                                 description=call.intro, absolute_url=request.build_absolute_uri)
    return ical.ics_response(calendar, f"occupai-{call.slug}")


def event_ics(request, page_path, pk):
    call = _page_at(request, page_path, CallPage)
    event = selectors.programme_events(call).filter(proposal_id=pk).first()
    if event is None:
        raise Http404
    calendar = ical.calendar_for([event], name=event.proposal.title, absolute_url=request.build_absolute_uri)
    return ical.ics_response(calendar, event.proposal.title)


def agenda_ics(request, page_path):
    index = _page_at(request, page_path, OccupaiIndexPage)
    if index.mairie is None:
        raise Http404
    events = selectors.mairie_events(index.mairie)
    calendar = ical.calendar_for(events, name=_("Occupai · %(mairie)s") % {"mairie": index.mairie.name},
                                 absolute_url=request.build_absolute_uri)
    return ical.ics_response(calendar, f"occupai-{index.mairie.slug}")


# --- proposal photos (private storage: see occupai.models.proposals.ProposalPhotoStorage) --------


@require_GET
@mairie_exempt
def proposal_image(request, name):
    """A proposal's photo, to those who may see the proposal (user_can_view_proposal, and the call
    page's own view restrictions); 404 to everyone else, as for a missing file. What an anonymous
    visitor may see is cacheable by any cache; the rest is `private, no-store` (as cms.views.image_file)."""
    proposal = selectors.proposal_for_photo(PHOTO_FOLDER + name)
    if proposal is None:
        raise Http404
    restrictions = list(proposal.call.get_view_restrictions())
    if not all(restriction.accept_request(request) for restriction in restrictions):
        raise Http404
    public = not restrictions and user_can_view_proposal(AnonymousUser(), proposal)
    if not public and not user_can_view_proposal(request.user, proposal):
        raise Http404
    try:
        handle = photo_storage().open(proposal.image.name, "rb")
    except OSError as exc:
        raise Http404 from exc
    response = serve_checked_file(request, handle, filename=name, inline=True)
    if public:
        response["Cache-Control"] = "public, max-age=3600"
    return response
