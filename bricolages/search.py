"""Bricolages and explorations in the platform's search: for agents only, shared by every mairie.
Logbooks are never indexed."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from search.documents import AGENTS, SearchDocument
from search.registry import SearchAdapter

from .models import BricolagePage, ExplorationDay, ExplorationSummary


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


class ExplorationDayAdapter(SearchAdapter):
    """Exploration days, for agents only. The contact stays out of the document."""

    type = "bricolages.exploration_day"
    label = _("Journée d'exploration")
    model = ExplorationDay

    def queryset(self):
        return ExplorationDay.objects.select_related("mairie")

    def document(self, obj) -> SearchDocument | None:
        return SearchDocument(
            type=self.type, id=self.document_id(obj),
            mairie=None,  # open to the agents of every mairie
            audience=AGENTS,  # never in the public search
            title=f"{obj.service} ({obj.mairie.short_name})",
            body="\n".join([obj.what_you_will_see, obj.place, obj.mairie.name]),
            url=obj.get_absolute_url(), tags=[str(_("Exploration"))], status="",
            date=datetime.datetime.combine(obj.date, datetime.time(9), tzinfo=timezone.get_current_timezone()),
        )


class ExplorationSummaryAdapter(SearchAdapter):
    """Published summaries, for agents only. Logbooks are never search documents: a summary is
    what the visitor chose to publish."""

    type = "bricolages.exploration_summary"
    label = _("Synthèse d'exploration")
    model = ExplorationSummary

    def queryset(self):
        return ExplorationSummary.objects.select_related("application__day__mairie")

    def document(self, obj) -> SearchDocument | None:
        day = obj.application.day
        return SearchDocument(
            type=self.type, id=self.document_id(obj), mairie=None, audience=AGENTS,
            title=obj.title, body="\n".join([obj.text, day.service, day.mairie.name]),
            url=obj.get_absolute_url(), tags=[str(_("Exploration"))], status="", date=obj.published_at,
        )
