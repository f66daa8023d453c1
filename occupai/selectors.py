"""Reads that carry Occupai's visibility rules: what this user may see on this mairie."""

import functools
from collections import OrderedDict

from django.core.paginator import Page as DjangoPage
from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms import roles
from cms.cache import remember
from cms.mairies import attach_mairie
from participation import selectors as engine_selectors
from participation import services as engine_services

from .models import CallPage, Event, OccupaiIndexPage, Proposal
from .models.proposals import call_support_rule
from .permissions import propose_refusal, user_can_moderate_call, user_can_view_proposal
from .phases import TRANSITION_LABELS, Phase, boundaries

PUBLIC = Proposal.PUBLIC_STATUSES


def index_for_mairie(mairie):
    if mairie is None:
        return None
    return OccupaiIndexPage.objects.live().public().filter(mairie=mairie).first()


def calls_for_mairie(mairie):
    return (CallPage.objects.live().public().filter(mairie=mairie).select_related("mairie")
            .order_by("-voting_opens_at", "-pk"))


def proposal_is_visible(user, proposal) -> bool:
    return user_can_view_proposal(user, proposal)


def public_proposals(call):
    return (Proposal.objects.filter(call=call, status__in=PUBLIC, is_hidden=False)
            .select_related("author", "call", "event__space").prefetch_related("preferred_spaces"))


def proposals_visible_to(user, mairie):
    """Proposals of live calls of `mairie` this user may see, for lists and the API."""
    qs = Proposal.objects.filter(mairie=mairie, call__live=True)
    visible = Q(status__in=PUBLIC, is_hidden=False)
    if getattr(user, "is_authenticated", False):
        visible |= Q(author=user)
        if roles.is_organiser_of(user, mairie):
            visible |= ~Q(status=Proposal.Status.DRAFT)
    return (qs.filter(visible).select_related("author", "call", "call__mairie", "event__space")
            .prefetch_related("preferred_spaces", "slots"))


def proposal_for_photo(name: str):
    """The proposal whose photo is stored under `name` (with its call and mairie), or None."""
    return Proposal.objects.filter(image=name).select_related("call", "call__mairie").first()


def own_proposals(user, mairie, call=None):
    if not getattr(user, "is_authenticated", False):
        return Proposal.objects.none()
    qs = Proposal.objects.filter(author=user, mairie=mairie).select_related("call", "event__space")
    return qs.filter(call=call) if call is not None else qs


def ranked_proposals(call):
    """The organisers' ranked view: published proposals by supports, then comments, then age."""
    return (Proposal.objects.filter(call=call, status__in=PUBLIC)
            .select_related("author", "event__space__mairie").prefetch_related("preferred_spaces", "slots")
            .order_by("-supports_count", "-comments_count", "submitted_at", "pk"))


def moderation_queue(call):
    return (Proposal.objects.filter(call=call, status=Proposal.Status.SUBMITTED)
            .select_related("author").prefetch_related("preferred_spaces", "slots").order_by("submitted_at", "pk"))


def programme_is_public(call, now=None) -> bool:
    return call.live and call.results_published(now)


def programme_events(call, user=None):
    """The call's events, in time order; organisers see them before the programme is published."""
    if not programme_is_public(call) and not (user is not None and user_can_moderate_call(user, call)):
        return Event.objects.none()
    return (Event.objects.filter(call=call, proposal__is_hidden=False, proposal__status=Proposal.Status.SELECTED)
            .select_related("space", "space__mairie", "proposal", "proposal__author", "call", "call__mairie"))


def mairie_events(mairie, now=None):
    """Every published event of a mairie's calls (the mairie-wide agenda and feed)."""
    now = now or timezone.now()
    return (Event.objects.filter(call__mairie=mairie, call__live=True, call__results_at__lte=now,
                                 proposal__is_hidden=False, proposal__status=Proposal.Status.SELECTED)
            .select_related("space", "space__mairie", "proposal", "proposal__author", "call", "call__mairie"))


def events_by_day(events):
    days = OrderedDict()
    for event in events:
        days.setdefault(timezone.localdate(event.starts_at), []).append(event)
    return days


def events_by_space(events):
    spaces = OrderedDict()
    for event in sorted(events, key=lambda e: (e.space.name, e.starts_at)):
        spaces.setdefault(event.space, []).append(event)
    return spaces


def voting_context(user, call, proposal_ids):
    """What the voting widgets need: supports left in the call, and which of these proposals the
    user supports."""
    context = {"supports_left": None, "supported_ids": set()}
    if proposal_ids:
        context["supported_ids"] = engine_selectors.supported_ids_among(user, Proposal, proposal_ids)
        # Every proposal of a call shares its support rule (the call's budget): any one of them tells.
        context["supports_left"] = engine_services.supports_left(user=user, target=Proposal(pk=proposal_ids[0],
                                                                                             call=call))
    elif getattr(user, "is_authenticated", False):
        context["supports_left"] = call.vote_budget
    return context


def index_context(request, index):
    calls = list(calls_for_mairie(index.mairie)) if index.mairie else []
    current = [c for c in calls if c.phase not in (Phase.FINISHED,)]
    past = [c for c in calls if c.phase == Phase.FINISHED]
    return {"calls": calls, "current_calls": current, "past_calls": past,
            "upcoming_events": list(mairie_events(index.mairie).filter(ends_at__gte=timezone.now())[:6])
            if index.mairie else []}


CALL_PAGE_SIZE = 24


def _proposals_page(call, sort, ordered, number):
    """One page of the call's public proposal ids: the same for every visitor, so its ids and the
    count are kept with the page cache (as the cards they show are). `ordered()` gives the
    queryset, built only when the page is computed."""
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1

    def compute():
        paginator = Paginator(ordered().values_list("pk", flat=True), CALL_PAGE_SIZE)
        found = paginator.get_page(number)
        return list(found.object_list), found.number, paginator.count

    ids, number, count = remember(f"occupai:call-proposals:{call.pk}:{sort}:{number}", compute)
    paginator = Paginator((), CALL_PAGE_SIZE)
    paginator.count = count  # known: the page is built from the kept ids, with no COUNT query
    return DjangoPage(ids, number, paginator)


def call_context(request, call):
    """The call page: one page of its public proposals, sorted by the database."""
    user = request.user
    sort = request.GET.get("tri", "")
    counts_visible = call_support_rule(call).counts_visible_to(user)
    if sort == "soutiens" and counts_visible:
        order = ("-supports_count", Lower("title"), "pk")
    elif sort == "recentes":
        order = (Coalesce("submitted_at", "created_at").desc(), "-pk")
    else:
        sort = "titre"
        order = (Lower("title"), "pk")
    attach_mairie(call)

    def ordered():
        return public_proposals(call).order_by(*order)

    page_obj = _proposals_page(call, sort, ordered, request.GET.get("page"))
    ids = page_obj.object_list
    context = {
        "call": call,
        "page_obj": page_obj,
        "filters": {"tri": sort},
        "sort": sort,
        "can_moderate": user_can_moderate_call(user, call),
        "propose_refusal": propose_refusal(user, call),
        "my_proposals_count": own_proposals(user, call.mairie, call).count(),
        "programme_public": programme_is_public(call),
        "spaces": remember(f"occupai:call-spaces:{call.pk}", lambda: list(call.spaces.all())),
        "counts_visible": counts_visible,
    }
    context["is_voting"] = call.phase == Phase.VOTING
    if context["is_voting"]:
        context.update(voting_context(user, call, ids))
    supported = context.get("supported_ids", set())

    @functools.cache
    def proposals():
        """The cards' proposals: loaded only when the template renders them (its shared fragment
        may come from the cache)."""
        by_id = {p.pk: p for p in ordered().select_related(None).select_related("author").prefetch_related(None)
                 .filter(pk__in=ids)}
        shown = [by_id[pk] for pk in ids if pk in by_id]
        for proposal in shown:
            proposal.call = call
            proposal.is_supported = proposal.pk in supported
        return shown

    context["proposals"] = proposals
    context["timeline"] = [{"label": TRANSITION_LABELS[phase], "at": moment, "current": phase == call.phase,
                            "day_only": phase == Phase.ONGOING}
                           for moment, phase in boundaries(call) if phase != Phase.FINISHED]
    context["timeline"].append({"label": _("Dernier jour des événements"), "at": call.event_ends_on,
                                "current": call.phase == Phase.FINISHED, "day_only": True})
    return context


def space_occupied(space_id: int, starts, ends) -> str | None:
    """The title of an event scheduled in the space over [starts, ends), or None: asked through
    cms.occupancy by features that lend the same space for something else (the hall's co-working)."""
    event = (Event.objects.filter(space_id=space_id, starts_at__lt=ends, ends_at__gt=starts)
             .select_related("proposal").order_by("starts_at").first())
    return event.proposal.title if event is not None else None
