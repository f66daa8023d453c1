"""Mounted at /api/accueil/ by cms.urls."""

from django.urls import path, re_path

from . import views

app_name = "accueil-api"

TICKET_KEY = r"(?P<token>[A-Za-z0-9_-]{16,64})"
PK = r"(?P<pk>[0-9]{1,18})"

urlpatterns = [
    path("services/", views.service_list, name="services"),
    path("tickets/", views.ticket_take, name="tickets"),
    re_path(rf"^tickets/{TICKET_KEY}/$", views.ticket_detail, name="ticket"),
    re_path(rf"^tickets/{TICKET_KEY}/cancel/$", views.ticket_cancel, name="ticket-cancel"),
    path("screen/", views.screen, name="screen"),
    path("counters/", views.counter_list, name="counters"),
    re_path(rf"^counters/{PK}/call-next/$", views.counter_call_next, name="counter-call-next"),
    re_path(rf"^counters/{PK}/recall/$", views.counter_recall, name="counter-recall"),
    re_path(rf"^counters/{PK}/served/$", views.counter_served, name="counter-served"),
    re_path(rf"^counters/{PK}/absent/$", views.counter_absent, name="counter-absent"),
    re_path(rf"^counters/{PK}/transfer/$", views.counter_transfer, name="counter-transfer"),
]
