"""The guide's pages as search documents (the search app indexes them): situations and démarches,
public, on their mairie. The carnets are personal data: no adapter, never indexed."""

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from search.documents import PUBLIC, SearchDocument
from search.registry import SearchAdapter

from .models import DemarchePage, GuideIndexPage, LifeSituationPage


def _text(*parts):
    return "\n".join(strip_tags(str(p)) for p in parts if p)


def _stream(stream):
    if not stream:
        return []
    return [str(part) for part in stream.stream_block.get_searchable_content(stream) if part]


class _GuidePageAdapter(SearchAdapter):
    def queryset(self):
        return self.model.objects.select_related("mairie")

    def parts(self, page) -> list:
        return [page.intro]

    def tags(self, page) -> list[str]:
        return [str(_("Guide du routard"))]

    def document(self, page):
        if not page.live or page.mairie is None or page.get_view_restrictions().exists():
            return None
        path = page.site_path
        if not path:
            return None
        return SearchDocument(type=self.type, id=self.document_id(page), mairie=page.mairie.slug, audience=PUBLIC,
                              title=page.seo_title or page.title, body=_text(*self.parts(page)), url=path,
                              tags=self.tags(page), date=page.last_published_at or page.first_published_at)


class GuideIndexAdapter(_GuidePageAdapter):
    type = "guide.index"
    label = _("Guide du routard")
    model = GuideIndexPage


class SituationAdapter(_GuidePageAdapter):
    type = "guide.situation"
    label = _("Situation de vie")
    model = LifeSituationPage

    def parts(self, page):
        return [page.intro, page.body, *_stream(page.notes), *_stream(page.postits)]


class DemarcheAdapter(_GuidePageAdapter):
    type = "guide.demarche"
    label = _("Démarche")
    model = DemarchePage

    def queryset(self):
        return DemarchePage.objects.select_related("mairie", "service")

    def parts(self, page):
        return [page.intro, page.what, page.who, page.where_when, *_stream(page.documents), page.cost, page.delay,
                page.service.name if page.service_id else "", *_stream(page.steps), *_stream(page.notes)]

    def tags(self, page):
        return [str(_("Démarche")), *([page.service.name] if page.service_id else [])]


ADAPTERS = [GuideIndexAdapter(), SituationAdapter(), DemarcheAdapter()]
