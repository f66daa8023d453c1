"""The core pages (cms.HomePage, cms.StandardPage) as search documents. cms may not import search,
so search declares them itself. Only live pages without view restrictions are searchable."""

from django.utils.translation import gettext_lazy as _
from wagtail.rich_text import get_text_for_indexing

from cms.models import HomePage, Mairie, StandardPage

from .documents import PUBLIC, SearchDocument
from .registry import SearchAdapter, register


def _stream_text(stream):
    if not stream:
        return []
    return [str(part) for part in stream.stream_block.get_searchable_content(stream) if part]


def _mairie_slug(page):
    site = page.get_site()
    if site is None:
        return None
    return Mairie.objects.filter(site=site).values_list("slug", flat=True).first()


class PageAdapter(SearchAdapter):
    def queryset(self):
        return self.model.objects.live().public()

    def intro_text(self, page):
        return page.intro or ""

    def document(self, page):
        if not page.live or page.get_view_restrictions().exists():
            return None
        parts = page.get_url_parts()
        if not parts or parts[2] is None:  # not routable: outside every site
            return None
        body = [self.intro_text(page), *_stream_text(page.body)]
        return SearchDocument(
            type=self.type, id=self.document_id(page), mairie=_mairie_slug(page), audience=PUBLIC,
            title=page.seo_title or page.title, body="\n".join(p for p in body if p), url=parts[2],
            date=page.last_published_at or page.first_published_at,
        )


class HomePageAdapter(PageAdapter):
    type = "cms.homepage"
    label = _("Page d'accueil")
    model = HomePage

    def intro_text(self, page):
        return get_text_for_indexing(page.intro or "")


class StandardPageAdapter(PageAdapter):
    type = "cms.standardpage"
    label = _("Page")
    model = StandardPage


def register_adapters():
    register(HomePageAdapter())
    register(StandardPageAdapter())
