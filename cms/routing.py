"""Page routing from a table kept with the page cache, instead of two queries per level of the URL.

Wagtail finds the page of /occupai/ete/ by walking the tree: the children of the home page with the
slug "occupai", that page as its specific type, then its child "ete", and so on. A mairie's home page
keeps instead a table of its descendants ({"occupai/ete": (page id, content type)}) with the page
cache, under its site-wide version, which changes whenever a page is saved, published, unpublished,
moved or deleted (cms.cache). A request then takes the deepest page of its path that the table
knows, as its specific type (kept with the table too: see `_load`), and lets that page route what
remains of the path (a routable page's sub-routes). Paths the table does not know go through
Wagtail's own walk, so a 404 is still Wagtail's 404.

Then Wagtail checks the page's view restrictions (two queries: the ancestors, then their
restrictions). Restrictions are few (the platform sets them on the Bricolages wiki only), so
`CachedRestrictionsMixin` keeps the tree paths of every restricted page, and of every alias page,
with the page cache (renewed when a restriction or a page is saved, moved or deleted): a page finds
the restrictions of itself and its ancestors by comparing paths, with no query when none applies
and one when some do. Under an alias, whose restrictions are those of its source page, it asks
Wagtail as before.
"""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from wagtail.models import Page, PageViewRestriction

from .cache import remember

MAX_ROUTES = 20_000  # a site larger than this is walked as Wagtail does
MAX_RESTRICTIONS = 1_000  # more restrictions or aliases than this: Wagtail's own check


def _route_table(root):
    start = len(root.url_path)
    rows = (root.get_descendants().order_by().values_list("url_path", "pk", "content_type_id")[:MAX_ROUTES + 1])
    table = {url_path[start:].strip("/"): (pk, content_type) for url_path, pk, content_type in rows}
    return table if len(table) <= MAX_ROUTES else None


def _load(model, page_id):
    """The page as its specific type. Kept with the table (a page's row changes only when it is saved,
    published, moved or deleted, each of which renews the version) unless its model says
    `cache_in_routes = False`: pages with counters written by plain UPDATEs, whose new value a
    visitor must see at once."""
    def load():
        return model.objects.filter(pk=page_id).first()

    return remember(f"routes:page:{page_id}", load) if getattr(model, "cache_in_routes", True) else load()


class CachedRoutesMixin:
    """For the root page of a site (a mairie's home page), and its translations: one tree per
    language (cms.i18n). Wagtail routes from the home page of the active language
    (`localized`); a path that tree does not have is looked up in the other languages' trees, French
    first, so that a page not translated yet is shown in French (its `<main>` says `lang="fr"`) and a
    link to a translated slug works in any language; a page found there that has a live translation
    in the active language is shown in it."""

    @property
    def localized(self):
        roots = self.__dict__.get("_locale_roots")
        if roots is None:  # not from the mairie directory (cms.mairies): Wagtail's query
            return super().localized
        from .i18n import active_language

        return roots.get(active_language()) or self

    def _locale_roots_in_order(self):
        """The other languages' home pages of this mairie, French (the default) first."""
        from .i18n import content_languages, locale_code

        roots = self.__dict__.get("_locale_roots")
        if roots is None:
            rows = type(self).objects.filter(translation_key=self.translation_key, live=True)
            roots = {locale_code(page.locale_id): page for page in rows}
        return [roots[code] for code in content_languages() if code in roots and roots[code].pk != self.pk]

    def route(self, request, path_components):
        try:
            return self._route_in_tree(request, path_components)
        except Http404:
            if not path_components:
                raise
            for root in self._locale_roots_in_order():
                try:
                    result = root._route_in_tree(request, path_components)
                except Http404:
                    continue
                return self._in_own_language(request, root, result, path_components)
            result = self._route_below_translation(request, path_components)
            if result is None:
                raise
            return result

    def _route_below_translation(self, request, path_components):
        """A path that starts in this tree and goes on below a page not translated here
        (/our-mairie/histoire/ in English, « histoire » French only): the rest of the path from the
        deepest page of this tree it names, in that page's other languages (French first)."""
        from .i18n import content_languages, locale_code

        table = remember(f"routes:{self.pk}", lambda: _route_table(self)) or {}
        order = {code: index for index, code in enumerate(content_languages())}
        for depth in range(len(path_components) - 1, 0, -1):
            entry = table.get("/".join(path_components[:depth]))
            if entry is None:
                continue
            page = Page.objects.filter(pk=entry[0]).only("translation_key").first()
            others = (Page.objects.filter(translation_key=page.translation_key, live=True).exclude(pk=entry[0])
                      .specific() if page is not None else [])
            for other in sorted(others, key=lambda p: order.get(locale_code(p.locale_id), len(order))):
                try:
                    return other.route(request, path_components[depth:])
                except Http404:
                    continue
            return None
        return None

    def _in_own_language(self, request, root, result, path_components):
        """`result` was found in another language's tree: the live translation of its page in this
        tree's language when there is one (routed with the rest of the path), else `result` itself."""
        page = result.page if hasattr(result, "page") else result[0]
        translation = (type(page).objects.filter(translation_key=page.translation_key, locale_id=self.locale_id,
                                                 live=True).first() if hasattr(page, "translation_key") else None)
        if translation is None:
            return result
        depth = len([part for part in page.url_path[len(root.url_path):].split("/") if part])
        try:
            return translation.route(request, path_components[depth:])
        except Http404:
            return result

    def _route_in_tree(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        table = remember(f"routes:{self.pk}", lambda: _route_table(self))
        for depth in range(len(path_components), 0, -1):
            entry = table.get("/".join(path_components[:depth])) if table else None
            if entry is not None:
                page_id, content_type_id = entry
                model = ContentType.objects.get_for_id(content_type_id).model_class()
                page = _load(model, page_id) if model is not None else None
                if page is None:
                    break
                return page.route(request, path_components[depth:])
        return super().route(request, path_components)


def _restriction_paths():
    """(tree path, restriction id) of every view restriction, and the tree paths of alias pages;
    None when there are too many to keep."""
    restrictions = list(PageViewRestriction.objects.values_list("page__path", "pk")[:MAX_RESTRICTIONS + 1])
    aliases = list(Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)[:MAX_RESTRICTIONS + 1])
    if len(restrictions) > MAX_RESTRICTIONS or len(aliases) > MAX_RESTRICTIONS:
        return None
    return restrictions, aliases


class CachedRestrictionsMixin:
    """For every page model served by Wagtail: its view restrictions found from the kept paths.

    A page's ancestors are the pages whose tree path starts its own (treebeard's materialised path)."""

    def get_view_restrictions(self):
        kept = remember("routes:view-restrictions", _restriction_paths)
        if kept is None or any(self.path.startswith(path) for path in kept[1]):
            return super().get_view_restrictions()
        ids = [pk for path, pk in kept[0] if self.path.startswith(path)]
        return PageViewRestriction.objects.filter(pk__in=ids) if ids else PageViewRestriction.objects.none()
