"""Bricolages in the platform's search: for agents only, shared by every mairie."""

from django.utils.translation import gettext_lazy as _

from search.documents import AGENTS, SearchDocument
from search.registry import SearchAdapter

from .models import BricolagePage


class BricolageAdapter(SearchAdapter):
    type = "bricolages.bricolage"
    label = _("Bricolage")
    model = BricolagePage

    def queryset(self):
        return BricolagePage.objects.all()

    def document(self, obj) -> SearchDocument | None:
        if not obj.live or obj.is_hidden:
            return None
        steps = [step["text"] for step in obj.step_list]
        return SearchDocument(
            type=self.type,
            id=self.document_id(obj),
            mairie=None,  # shared by all the mairies
            audience=AGENTS,  # never in the public search
            title=obj.title,
            body="\n".join([obj.summary, obj.problem, obj.materials, *[t.name for t in obj.tools.all()], *steps]),
            url=obj.get_absolute_url(),
            tags=sorted(t.name for t in obj.tags.all()),
            status="",
            date=obj.last_published_at or obj.first_published_at,
        )
