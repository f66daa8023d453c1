"""HTML pages of the wiki, answered on every mairie's host (the content is shared)."""

from django.urls import path

from . import views
from .explorations.urls import urlpatterns as exploration_urls
from .openbricolage.urls import urlpatterns as openbricolage_urls

app_name = "bricolages"

urlpatterns = [
    path("bricolages/", views.bricolage_list, name="list"),
    path("bricolages/nouveau/", views.bricolage_create, name="create"),
    path("bricolages/<int:pk>/", views.bricolage_detail, name="detail"),
    path("bricolages/<int:pk>/modifier/", views.bricolage_edit, name="edit"),
    path("bricolages/<int:pk>/variante/", views.bricolage_variant, name="variant"),
    path("bricolages/<int:pk>/difference-avec-l-original/", views.bricolage_parent_diff, name="parent-diff"),
    path("bricolages/<int:pk>/historique/", views.bricolage_history, name="history"),
    path("bricolages/<int:pk>/historique/comparer/", views.bricolage_compare, name="compare"),
    path("bricolages/<int:pk>/historique/<int:revision_id>/", views.bricolage_revision, name="revision"),
    path("bricolages/<int:pk>/historique/<int:revision_id>/restaurer/", views.bricolage_restore, name="restore"),
    path("bricolages/<int:pk>/note/", views.bricolage_rate, name="rate"),
    path("bricolages/<int:pk>/note/retirer/", views.bricolage_unrate, name="unrate"),
    path("bricolages/<int:pk>/retour/", views.bricolage_feedback, name="feedback"),
    path("bricolages/<int:pk>/fichiers/<int:attachment_id>/", views.bricolage_attachment, name="attachment"),
    path("bricolages/images/<int:image_id>/<slug:size>/", views.bricolage_image, name="image"),
    *exploration_urls,
    *openbricolage_urls,
]
