"""A bricolage page's one Wagtail route: its admin preview (BricolagePage.route_table).

Agents reach bricolages through the app's own URLs (bricolages/urls.py): the pages sit outside
every Site, so Wagtail never routes them, and `BricolagePage.serve` redirects to those URLs."""

from functools import partial

from cms.subpages import page_route

from . import views

PAGE_ROUTES = [
    page_route("", partial(views.render_bricolage, preview=True), "preview"),
]
