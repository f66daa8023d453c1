"""HTML routes of the ambassadeurs, joined to accueil.urls (namespace "accueil")."""

from django.urls import path

from . import views

urlpatterns = [
    path("accueil/ambassadeurs/", views.index, name="ambassadors"),
    path("accueil/ambassadeurs/<int:pk>/", views.profile, name="ambassador"),
    path("accueil/ambassadeurs/<int:pk>/arreter/", views.stop, name="ambassador-stop"),
    path("accueil/ambassadeurs/candidater/", views.apply, name="ambassador-apply"),
    path("accueil/ambassadeurs/candidatures/", views.applications, name="ambassador-applications"),
    path("accueil/ambassadeurs/candidatures/<int:pk>/<slug:decision>/", views.decide, name="ambassador-decide"),
    path("accueil/ambassadeurs/demandes/", views.my_requests, name="help-requests"),
    path("accueil/ambassadeurs/demandes/<int:pk>/", views.help_request, name="help-request"),
    path("accueil/ambassadeurs/demandes/<int:pk>/<slug:action>/", views.request_action, name="help-request-action"),
]
