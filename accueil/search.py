"""How the hall's public objects become search documents: the queue services (what each one handles), the
co-working spaces (desks, equipment, access) and the ambassadors' public profiles. Public fields only: never
a ticket, a phone number, an email, a booking, an invitation, an application or a help request."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from search.documents import PUBLIC, SearchDocument
from search.registry import SearchAdapter

from .models import Ambassador, CoworkingSpace, Service


def _text(*parts):
    return "\n".join(str(p) for p in parts if p)


class ServiceAdapter(SearchAdapter):
    type = "accueil.service"
    label = _("Service d'accueil")
    model = Service

    def queryset(self):
        return Service.objects.select_related("mairie").prefetch_related("hours")

    def document(self, service):
        if not service.active:
            return None
        from .selectors import hours_text

        return SearchDocument(
            type=self.type, id=self.document_id(service), mairie=service.mairie.slug, audience=PUBLIC,
            title=service.name, body=_text(service.description, hours_text(service)),
            url=reverse("accueil:index"), tags=[str(_("Accueil"))])


class CoworkingSpaceAdapter(SearchAdapter):
    type = "accueil.coworking"
    label = _("Espace de coworking")
    model = CoworkingSpace

    def queryset(self):
        return CoworkingSpace.objects.select_related("mairie").prefetch_related("days")

    def document(self, space):
        if not space.active:
            return None
        from .coworking.selectors import opening_text

        return SearchDocument(
            type=self.type, id=self.document_id(space), mairie=space.mairie.slug, audience=PUBLIC,
            title=space.name,
            body=_text(space.description, space.location, "\n".join(space.equipment_list), space.accessibility_notes,
                       opening_text(space)),
            url=reverse("accueil:coworking-space", args=[space.pk]), tags=[str(_("Coworking"))])


class AmbassadorAdapter(SearchAdapter):
    """An accepted ambassador's public profile: public name, quartier, languages, what they help with."""

    type = "accueil.ambassador"
    label = _("Ambassadeur·rice")
    model = Ambassador

    def queryset(self):
        return Ambassador.objects.select_related("mairie", "quartier")

    def document(self, ambassador):
        if not ambassador.is_active:
            return None
        return SearchDocument(
            type=self.type, id=self.document_id(ambassador), mairie=ambassador.mairie.slug, audience=PUBLIC,
            title=ambassador.public_name,
            body=_text(ambassador.help_with, ", ".join(ambassador.language_list())),
            quartier=ambassador.quartier.slug if ambassador.quartier else None,
            url=reverse("accueil:ambassador", args=[ambassador.pk]), tags=[str(_("Ambassadeur·rices"))])


ADAPTERS = (ServiceAdapter(), CoworkingSpaceAdapter(), AmbassadorAdapter())
