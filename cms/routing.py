"""Page routing in two queries instead of two per level of the URL.

Wagtail finds the page of /occupai/ete/ by walking the tree: the children of the home page with the
slug "occupai", that page as its specific type, then its child "ete", and so on. A mairie's home page
keeps instead a table of its descendants ({"occupai/ete": (page id, content type)}) with the page
cache, under its site-wide version, which changes whenever a page is published, unpublished, moved
or deleted (cms.cache). A request then loads the deepest page of its path that the table knows, as
its specific type, in one query, and lets that page route what remains of the path (a routable
page's sub-routes). Paths the table does not know go through Wagtail's own walk, so a 404 is still
Wagtail's 404.

Then Wagtail checks the page's view restrictions (two queries: the ancestors, then their
restrictions). The platform sets none on its sites; `CachedRestrictionsMixin` asks whether any
restriction exists at all (kept with the page cache, renewed when one is saved or deleted) and
skips the check when none does.
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import PageViewRestriction

from .cache import remember

MAX_ROUTES = 20_000  # a site larger than this is walked as Wagtail does


def _route_table(root):
    start = len(root.url_path)
    rows = (root.get_descendants().order_by().values_list("url_path", "pk", "content_type_id")[:MAX_ROUTES + 1])
    table = {url_path[start:].strip("/"): (pk, content_type) for url_path, pk, content_type in rows}
    return table if len(table) <= MAX_ROUTES else None


class CachedRoutesMixin:
    """For the root page of a site (a mairie's home page)."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        table = remember(f"routes:{self.pk}", lambda: _route_table(self))
        for depth in range(len(path_components), 0, -1):
            entry = table.get("/".join(path_components[:depth])) if table else None
            if entry is not None:
                page_id, content_type_id = entry
                model = ContentType.objects.get_for_id(content_type_id).model_class()
                page = model.objects.filter(pk=page_id).first() if model is not None else None
                if page is None:
                    break
                return page.route(request, path_components[depth:])
        return super().route(request, path_components)


class CachedRestrictionsMixin:
    """For every page model served by Wagtail: no view-restriction queries while none exists."""

    def get_view_restrictions(self):
        if not remember("routes:any-view-restriction", PageViewRestriction.objects.exists):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
