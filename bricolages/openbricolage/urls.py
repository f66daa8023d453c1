"""HTML pages of Open Bricolage (bricolages/urls.py includes them): the public programme, and the
agents' and organisers' doors."""

from django.urls import path

from . import views

urlpatterns = [
    path("open-bricolage/", views.edition_list, name="openbricolage"),
    path("open-bricolage/nouvelle/", views.edition_create, name="openbricolage-create"),
    path("open-bricolage/<int:pk>/", views.edition_detail, name="openbricolage-edition"),
    path("open-bricolage/<int:pk>/modifier/", views.edition_edit, name="openbricolage-edit"),
    path("open-bricolage/<int:pk>/inscription/", views.edition_register, name="openbricolage-register"),
    path("open-bricolage/<int:pk>/annuler/", views.edition_cancel, name="openbricolage-cancel"),
    path("open-bricolage/<int:pk>/retour/", views.edition_feedback, name="openbricolage-feedback"),
    path("open-bricolage/<int:pk>/ateliers/nouveau/", views.workshop_create, name="openbricolage-workshop-create"),
    path("open-bricolage/ateliers/<int:pk>/modifier/", views.workshop_edit, name="openbricolage-workshop-edit"),
]
