"""HTML pages of the hall, under /accueil/ on each mairie's host."""

from django.urls import path

from . import views
from .ambassadeurs.urls import urlpatterns as ambassador_urls
from .coworking.urls import urlpatterns as coworking_urls

app_name = "accueil"

urlpatterns = [
    path("accueil/", views.index, name="index"),
    path("accueil/borne/", views.kiosk, name="kiosk"),
    path("accueil/ecran/", views.screen, name="screen"),
    path("accueil/ticket/<str:token>/", views.ticket, name="ticket"),
    path("accueil/ticket/<str:token>/annuler/", views.ticket_cancel, name="ticket-cancel"),
    path("accueil/guichets/", views.counters, name="counters"),
    path("accueil/guichets/<int:pk>/", views.counter, name="counter"),
    path("accueil/guichets/<int:pk>/<slug:action>/", views.counter_action, name="counter-action"),
    *coworking_urls,
    *ambassador_urls,
]
