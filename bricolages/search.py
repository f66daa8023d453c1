"""Bricolages and explorations in the platform's search: for agents only, shared by every mairie.
Logbooks are never indexed. Open Bricolage's programme is public (never an agent's name)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from search.documents import AGENTS, PUBLIC, SearchDocument
from search.registry import SearchAdapter

from .models import BricolagePage, ExplorationDay, ExplorationSummary, OpenBricolageEdition, Workshop
from .openbricolage.selectors import bricolage_shown


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


# --- Open Bricolage: its programme is public --------------------------------------------------------


def _shown_title(workshop):
    shown = bricolage_shown(workshop)
    return shown.title if shown is not None else ""


def _at_nine(date):
    return datetime.datetime.combine(date, datetime.time(9), tzinfo=timezone.get_current_timezone())


class OpenBricolageEditionAdapter(SearchAdapter):
    """An edition's programme, for everyone: title, description, date, place and its workshops'
    titles and bricolages. Never who leads a workshop nor who registered."""

    type = "bricolages.openbricolage_edition"
    label = _("Open Bricolage")
    model = OpenBricolageEdition

    def queryset(self):
        return OpenBricolageEdition.objects.select_related("mairie").prefetch_related("workshops__bricolage")

    def document(self, obj) -> SearchDocument | None:
        workshops = [part for w in obj.workshops.all() for part in (w.title, _shown_title(w))]
        return SearchDocument(
            type=self.type, id=self.document_id(obj), mairie=None,  # agents of every mairie come
            audience=PUBLIC, title=obj.title,
            body="\n".join([obj.description, obj.place, obj.mairie.name, *workshops]),
            url=obj.get_absolute_url(), tags=[str(_("Open Bricolage"))], status="", date=_at_nine(obj.date))


class OpenBricolageWorkshopAdapter(SearchAdapter):
    """A workshop of the programme, for everyone: its title, description, time and the title of the
    bricolage it presents; never its leader."""

    type = "bricolages.openbricolage_workshop"
    label = _("Atelier d'Open Bricolage")
    model = Workshop

    def queryset(self):
        return Workshop.objects.select_related("edition", "bricolage")

    def document(self, obj) -> SearchDocument | None:
        edition = obj.edition
        return SearchDocument(
            type=self.type, id=self.document_id(obj), mairie=None, audience=PUBLIC,
            title=f"{obj.title} ({edition.title})",
            body="\n".join([obj.description, _shown_title(obj), edition.place]),
            url=obj.get_absolute_url(), tags=[str(_("Open Bricolage"))], status="",
            date=datetime.datetime.combine(edition.date, obj.starts_at, tzinfo=timezone.get_current_timezone()))
