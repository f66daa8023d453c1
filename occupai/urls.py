"""The iCalendar feeds, at the path of their page plus a file name, and the proposals' photos. Wagtail
serves page paths made of [\\w-]+/ segments only, so a path ending in ".ics" (or, for a photo, in no
slash) never collides with a page."""

from django.urls import re_path

from . import views

PAGE_PATH = r"(?P<page_path>(?:[\w\-]+/)*)"

urlpatterns = [
    re_path(rf"^{PAGE_PATH}programme\.ics$", views.programme_ics, name="occupai-programme-ics"),
    re_path(rf"^{PAGE_PATH}programme/(?P<pk>\d+)\.ics$", views.event_ics, name="occupai-event-ics"),
    re_path(rf"^{PAGE_PATH}agenda\.ics$", views.agenda_ics, name="occupai-agenda-ics"),
    re_path(r"^occupai/photos/(?P<name>[\w\-]+(?:\.[\w\-]+)*)$", views.proposal_image, name="occupai-proposal-image"),
]
