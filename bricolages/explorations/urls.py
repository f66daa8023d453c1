"""HTML pages of the explorations, under the Bricolages' space (bricolages/urls.py includes them)."""

from django.urls import path

from . import views

urlpatterns = [
    path("bricolages/explorations/", views.exploration_list, name="explorations"),
    path("bricolages/explorations/proposer/", views.day_create, name="exploration-day-create"),
    path("bricolages/explorations/calendrier/", views.calendar, name="exploration-calendar"),
    path("bricolages/explorations/journees/<int:pk>/", views.day_detail, name="exploration-day"),
    path("bricolages/explorations/journees/<int:pk>/candidater/", views.day_apply, name="exploration-apply"),
    path("bricolages/explorations/<int:pk>/", views.exploration_detail, name="exploration"),
    path("bricolages/explorations/<int:pk>/accepter/", views.exploration_accept, name="exploration-accept"),
    path("bricolages/explorations/<int:pk>/refuser/", views.exploration_decline, name="exploration-decline"),
    path("bricolages/explorations/<int:pk>/annuler/", views.exploration_cancel, name="exploration-cancel"),
    path("bricolages/explorations/<int:pk>/carnet/", views.logbook_add, name="exploration-logbook"),
    path("bricolages/explorations/<int:pk>/carnet/partager/", views.logbook_share, name="exploration-share"),
    path("bricolages/explorations/<int:pk>/carnet/<int:entry_id>/photo/", views.logbook_photo,
         name="exploration-photo"),
    path("bricolages/explorations/<int:pk>/synthese/", views.summary_publish, name="exploration-summary-publish"),
    path("bricolages/explorations/syntheses/<int:pk>/", views.summary_detail, name="exploration-summary"),
    path("bricolages/<int:pk>/ne-d-une-exploration/", views.bricolage_born_from, name="born-from"),
]
