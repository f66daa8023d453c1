"""The guide index page's sub-pages (GuideIndexPage.route_table): the page itself and its printable
booklet, under the page's own URL, so they follow the guide and its mairie."""

from cms.subpages import page_itself, page_route

from . import views

INDEX_ROUTES = [
    page_route("", page_itself, "index"),
    page_route("livret/", views.booklet, "booklet"),
]
