"""Reads that carry the carnets' visibility: a carnet is seen by its owner and by the agents of
the services it is shared with (not revoked), on its own mairie. Anything else is a 404."""

from django.db.models import Q
from django.http import Http404

from cms import roles
from cms.i18n import in_active_language

from .models import Carnet, DemarchePage, GuideIndexPage, LifeSituationPage, Service


def index_for_mairie(mairie):
    """The guide's index in the active language (French when it is not translated)."""
    if mairie is None:
        return None
    return in_active_language(GuideIndexPage.objects.filter(mairie=mairie).live()).first()


def situations_for(mairie, *, every_language=False):
    """The situations in the active language, and the French ones not translated into it (or every
    translation of each: a lookup by id)."""
    pages = LifeSituationPage.objects.live().public().filter(mairie=mairie)
    return (pages if every_language else in_active_language(pages)).order_by("path")


def demarches_for(mairie, *, every_language=False):
    """The démarches in the active language, and the French ones not translated into it (or every
    translation of each: a lookup by id)."""
    pages = DemarchePage.objects.live().public().filter(mairie=mairie)
    return (pages if every_language else in_active_language(pages)).select_related("service").order_by("path")


def services_for(mairie):
    return Service.objects.filter(mairie=mairie).order_by("name")


def agent_services(user, mairie):
    """The services of this mairie the user works in (none unless an agent of it)."""
    if not roles.is_agent_of(user, mairie):
        return Service.objects.none()
    return Service.objects.filter(mairie=mairie, agents=user)


def carnets_visible_to(user, mairie):
    """The carnets of this mairie `user` may read: their own, and those shared with their services."""
    if not getattr(user, "is_authenticated", False) or mairie is None:
        return Carnet.objects.none()
    visible = Q(owner=user)
    if roles.is_agent_of(user, mairie):
        visible |= Q(shares__revoked_at__isnull=True, shares__service__agents=user)
    return Carnet.objects.filter(visible, mairie=mairie).distinct()


def carnets_of(user, mairie):
    """The resident's own carnets on this mairie."""
    if not getattr(user, "is_authenticated", False) or mairie is None:
        return Carnet.objects.none()
    return Carnet.objects.filter(owner=user, mairie=mairie).prefetch_related("items")


def carnets_shared_with(user, mairie):
    """The carnets shared with the agent's services (the agents' list), open ones first."""
    if not roles.is_agent_of(user, mairie):
        return Carnet.objects.none()
    return (Carnet.objects.filter(mairie=mairie, shares__revoked_at__isnull=True, shares__service__agents=user)
            .distinct().select_related("owner").prefetch_related("items").order_by("status", "-updated_at"))


def carnet_for(user, mairie, pk):
    """The carnet `pk` if `user` may read it on this mairie, else 404 (someone else's id included)."""
    carnet = (carnets_visible_to(user, mairie).select_related("owner", "mairie", "demarche")
              .prefetch_related("items", "shares__service").filter(pk=pk).first())
    if carnet is None:
        raise Http404("No such carnet.")
    return carnet


def carnet_item_for(carnet, item_id):
    """The item `item_id` of a carnet the caller may read (carnet_for), else 404."""
    item = carnet.items.filter(pk=item_id).first() if isinstance(item_id, int) and 0 < item_id < 2**62 else None
    if item is None:
        raise Http404("No such item.")
    return item


def carnet_document_for(user, carnet, item_id):
    """The item whose attached document `user` may download: the owner's, or a serving agent's
    (a revoked sharing: 404). No document: 404."""
    from . import permissions

    item = carnet_item_for(carnet, item_id)
    if not item.document or not permissions.user_can_read_documents(user, carnet):
        raise Http404("No such document.")
    return item
