"""How the Service lab's public objects become search documents. Complaints never do: their
only public trace is the anonymised summary shown on their issue, and even that stays out of the
index (summaries are short and the issue's own description says what it is about)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from search.documents import PUBLIC, SearchDocument
from search.registry import SearchAdapter

from .models import Draw, HackathonSession, RecurringIssue


class RecurringIssueAdapter(SearchAdapter):
    type = "hackathon.issue"
    label = _("Sujet récurrent")
    model = RecurringIssue

    def queryset(self):
        return RecurringIssue.objects.select_related("mairie", "quartier").prefetch_related("tags")

    def document(self, obj):
        if not obj.is_public():
            return None
        return SearchDocument(
            type=self.type, id=self.document_id(obj), mairie=obj.mairie.slug, audience=PUBLIC,
            title=obj.title, body=obj.description, url=obj.get_absolute_url(),
            tags=[tag.name for tag in obj.tags.all()], quartier=obj.quartier.name if obj.quartier else None,
            status=obj.status, date=obj.updated_at)


class DrawAdapter(SearchAdapter):
    type = "hackathon.draw"
    label = _("Tirage au sort")
    model = Draw

    def queryset(self):
        return Draw.objects.select_related("mairie", "winner")

    def document(self, obj):
        month = obj.month.strftime("%m/%Y")
        title = _("Tirage au sort de %(month)s") % {"month": month}
        body = [str(_("Sources du hasard : %(s)s") % {"s": obj.entropy_source})]
        if obj.winner_id:
            body.append(str(_("Sujet tiré : %(t)s") % {"t": obj.winner.title}))
        if obj.redraw_reason:
            body.append(obj.redraw_reason)
        return SearchDocument(type=self.type, id=self.document_id(obj), mairie=obj.mairie.slug, audience=PUBLIC,
                              title=str(title), body="\n".join(body), url=obj.get_absolute_url(),
                              status=obj.status, date=obj.drawn_at or obj.opened_at)


class SessionAdapter(SearchAdapter):
    type = "hackathon.session"
    label = _("Journée hackathon")
    model = HackathonSession

    def queryset(self):
        return HackathonSession.objects.select_related("mairie", "issue")

    def document(self, obj):
        outcome = getattr(obj, "outcome", None)
        parts = [obj.issue.title, obj.place, obj.programme, obj.tools]
        if outcome is not None:
            parts += [outcome.decision, outcome.carried_by]
        status = outcome.status if outcome is not None else (
            "past" if obj.ends_at < timezone.now() else obj.status)
        return SearchDocument(type=self.type, id=self.document_id(obj), mairie=obj.mairie.slug, audience=PUBLIC,
                              title=obj.title, body="\n".join(p for p in parts if p), url=obj.get_absolute_url(),
                              quartier=None, status=status, date=obj.starts_at)


ADAPTERS = [RecurringIssueAdapter(), DrawAdapter(), SessionAdapter()]
