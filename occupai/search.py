"""How Occupai's public objects become search documents (the search app indexes them).

Calls, published proposals and the events of published programmes; everything public, on the
object's mairie. No author's name goes into a document (only an association's or collective's)."""

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from search.documents import PUBLIC, SearchDocument
from search.registry import SearchAdapter

from .models import CallPage, Event, Proposal


def _text(*parts):
    return "\n".join(strip_tags(str(p)) for p in parts if p)


class CallAdapter(SearchAdapter):
    type = "occupai.call"
    label = _("Appel à projets Occupai")
    model = CallPage
    time_dependent = True  # its status is the current phase

    def queryset(self):
        return CallPage.objects.select_related("mairie")

    def document(self, call):
        if not call.live or call.mairie is None or call.get_view_restrictions().exists():
            return None
        return SearchDocument(
            type=self.type, id=self.document_id(call), mairie=call.mairie.slug, audience=PUBLIC,
            title=call.title, body=_text(call.intro, call.description, call.eligibility), url=call.site_path,
            tags=[str(s) for s in call.spaces.all()], status=str(call.phase_state().phase),
            date=call.submission_opens_at,
        )


class ProposalAdapter(SearchAdapter):
    type = "occupai.proposal"
    label = _("Proposition Occupai")
    model = Proposal

    def queryset(self):
        return Proposal.objects.select_related("call", "mairie", "quartier")

    def document(self, proposal):
        if not proposal.is_public() or proposal.call.get_view_restrictions().exists():
            return None
        organisation = proposal.proposer_name if proposal.proposer_type != Proposal.ProposerType.RESIDENT else ""
        return SearchDocument(
            type=self.type, id=self.document_id(proposal), mairie=proposal.mairie.slug, audience=PUBLIC,
            title=proposal.title,
            body=_text(proposal.description, proposal.get_kind_display(), organisation, proposal.call.title),
            url=proposal.get_absolute_url(), tags=[proposal.get_kind_display()],
            quartier=proposal.quartier.slug if proposal.quartier_id else None, status=proposal.status,
            date=proposal.submitted_at or proposal.created_at,
        )


class EventAdapter(SearchAdapter):
    """An event is searchable once its call's programme is published."""

    type = "occupai.event"
    label = _("Événement Occupai")
    model = Event
    time_dependent = True  # searchable from the moment the programme is published

    def queryset(self):
        return Event.objects.select_related("call", "call__mairie", "proposal", "space")

    def document(self, event):
        call, proposal = event.call, event.proposal
        if (not call.results_published() or not proposal.is_public() or proposal.status != Proposal.Status.SELECTED
                or call.mairie is None):
            return None
        return SearchDocument(
            type=self.type, id=self.document_id(event), mairie=call.mairie.slug, audience=PUBLIC,
            title=proposal.title, body=_text(proposal.description, event.space.name, call.title),
            url=event.get_absolute_url(), tags=[proposal.get_kind_display(), event.space.name],
            quartier=proposal.quartier.slug if proposal.quartier_id else None, status="scheduled",
            date=event.starts_at,
        )


ADAPTERS = [CallAdapter(), ProposalAdapter(), EventAdapter()]
