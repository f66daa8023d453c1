"""Sub-page routes from a route table: page models name their table, they never import views.

An app's `routes.py` holds a list of `page_route(...)` entries whose views take
`(request, page, **kwargs)`; the page model says `route_table = "app.routes.CALL_ROUTES"`.
The table is imported the first time the page routes a request (or at `manage.py check`),
so models → views import circles cannot form. `reverse_subpage(name)` works as in Wagtail.
"""

from django.http import Http404
from django.urls import path, re_path
from django.utils.module_loading import import_string
from wagtail.contrib.routable_page.models import RoutablePageMixin

from cms.validation import out_of_range


def page_route(pattern: str, view, name: str, *, regex: bool = False):
    """One route of a page: `view(request, page, *args, **kwargs)`."""

    def bound(page, request, *args, **kwargs):  # Wagtail binds route callbacks to the page
        if out_of_range(args, kwargs):
            raise Http404  # no row has such an id, and the database would refuse the number
        return view(request, page, *args, **kwargs)

    bound.__name__ = bound.__qualname__ = getattr(view, "__name__", name)
    bound.view = view
    return (re_path if regex else path)(pattern, bound, name=name)


def page_itself(request, page, *args, **kwargs):
    """The page from its template and `get_context`: the "" route (named "index_route") that
    Wagtail's RoutablePageMixin gives every routable page, for tables with no index view."""
    request.is_preview = getattr(request, "is_preview", False)
    return page.render(request, *args, **kwargs)


class RouteTableMixin(RoutablePageMixin):
    route_table: str = ""  # dotted path of the list of page_route() entries
    preview_routes: dict[str, str] = {}  # preview mode name -> sub-page path ("" = the page itself)

    @classmethod
    def get_subpage_urls(cls):
        return tuple(import_string(cls.route_table)) if cls.route_table else ()

    def serve_preview(self, request, mode_name):
        request.is_preview = True
        view, args, kwargs = self.resolve_subpage("/" + self.preview_routes.get(mode_name, ""))
        return view(request, *args, **kwargs)
