"""HTML routes of the co-working, joined to accueil.urls (namespace "accueil")."""

from django.urls import path

from . import views

urlpatterns = [
    path("accueil/coworking/", views.index, name="coworking"),
    path("accueil/coworking/<int:pk>/", views.space, name="coworking-space"),
    path("accueil/coworking/mes-reservations/", views.mine, name="coworking-mine"),
    path("accueil/coworking/reservations/<int:pk>/annuler/", views.cancel, name="coworking-cancel"),
    path("accueil/coworking/agenda/<str:key>.ics", views.feed, name="coworking-feed"),
    path("accueil/coworking/invitations/", views.invitations, name="coworking-invitations"),
    path("accueil/coworking/invitations/<int:pk>/retirer/", views.invitation_revoke, name="coworking-revoke"),
    path("accueil/coworking/invitation/<str:key>/", views.invitation, name="coworking-invitation"),
    path("accueil/coworking/invitation/<str:key>/oublier/", views.invitation_forget, name="coworking-invitation-forget"),
    path("accueil/coworking/invitation/<str:key>/annuler/<int:pk>/", views.invitation_cancel,
         name="coworking-invitation-cancel"),
]
