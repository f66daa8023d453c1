"""Mounted at /api/accueil/ by cms.urls."""

from django.urls import path, re_path

from ..ambassadeurs import api as ambassadors
from ..coworking import api as coworking
from . import views

app_name = "accueil-api"

TICKET_KEY = r"(?P<token>[A-Za-z0-9_-]{16,64})"
PK = r"(?P<pk>[0-9]{1,18})"
INVITATION_KEY = r"(?P<key>[A-Za-z0-9_-]{16,64})"

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
    path("coworking/spaces/", coworking.space_list, name="coworking-spaces"),
    re_path(rf"^coworking/spaces/{PK}/availability/$", coworking.space_availability, name="coworking-availability"),
    path("coworking/bookings/", coworking.bookings, name="coworking-bookings"),
    re_path(rf"^coworking/bookings/{PK}/cancel/$", coworking.booking_cancel, name="coworking-booking-cancel"),
    path("coworking/invitations/", coworking.invitations, name="coworking-invitations"),
    re_path(rf"^coworking/invitations/{INVITATION_KEY}/bookings/$", coworking.invitation_bookings,
            name="coworking-invitation-bookings"),
    re_path(rf"^coworking/invitations/{INVITATION_KEY}/bookings/{PK}/cancel/$", coworking.invitation_booking_cancel,
            name="coworking-invitation-booking-cancel"),
    re_path(rf"^coworking/invitations/{INVITATION_KEY}/forget/$", coworking.invitation_forget,
            name="coworking-invitation-forget"),
    path("ambassadors/", ambassadors.ambassadors, name="ambassadors"),
    path("ambassadors/applications/", ambassadors.applications, name="ambassador-applications"),
    re_path(rf"^ambassadors/{PK}/$", ambassadors.ambassador_detail, name="ambassador"),
    re_path(rf"^ambassadors/{PK}/decision/$", ambassadors.decide, name="ambassador-decision"),
    re_path(rf"^ambassadors/{PK}/stop/$", ambassadors.stop, name="ambassador-stop"),
    path("help-requests/", ambassadors.help_requests, name="help-requests"),
    re_path(rf"^help-requests/{PK}/$", ambassadors.help_request_detail, name="help-request"),
    re_path(rf"^help-requests/{PK}/messages/$", ambassadors.help_message, name="help-request-messages"),
    re_path(rf"^help-requests/{PK}/contact/$", ambassadors.help_contact, name="help-request-contact"),
    re_path(rf"^help-requests/{PK}/consents/$", ambassadors.help_consent, name="help-request-consents"),
    re_path(rf"^help-requests/{PK}/acts/$", ambassadors.help_act, name="help-request-acts"),
    re_path(rf"^help-requests/{PK}/close/$", ambassadors.help_close, name="help-request-close"),
]
