"""Le carnet du citoyen's pages (mounted at the site's root by cms.urls). The guide's own pages
are Wagtail pages (GuideIndexPage, LifeSituationPage, DemarchePage)."""

from django.urls import path

from . import views

app_name = "guide"

urlpatterns = [
    path("carnets/", views.carnet_list, name="carnets"),
    path("carnets/ouvrir/", views.carnet_open, name="carnet-open"),
    path("carnets/guichet/", views.carnet_counter, name="carnet-counter"),
    path("carnets/services/", views.carnets_shared, name="carnets-shared"),
    path("carnets/code/", views.carnet_code, name="carnet-code"),
    path("carnets/code/partages/<int:share_id>/retirer/", views.carnet_code_revoke, name="carnet-code-revoke"),
    path("carnets/rattacher/", views.carnet_claim, name="carnet-claim"),
    path("carnets/<int:pk>/", views.carnet_detail, name="carnet"),
    path("carnets/<int:pk>/imprimer/", views.carnet_print, name="carnet-print"),
    path("carnets/<int:pk>/documents/<int:item_id>/", views.carnet_item, name="carnet-item"),
    path("carnets/<int:pk>/documents/<int:item_id>/fichier/", views.carnet_document_file, name="carnet-document"),
    path("carnets/<int:pk>/documents/<int:item_id>/joindre/", views.carnet_document_attach,
         name="carnet-document-attach"),
    path("carnets/<int:pk>/documents/<int:item_id>/retirer/", views.carnet_document_remove,
         name="carnet-document-remove"),
    path("carnets/<int:pk>/partager/", views.carnet_share, name="carnet-share"),
    path("carnets/<int:pk>/partages/<int:share_id>/retirer/", views.carnet_revoke, name="carnet-revoke"),
    path("carnets/<int:pk>/rendez-vous/", views.carnet_agent, name="carnet-agent"),
    path("carnets/<int:pk>/terminer/", views.carnet_close, name="carnet-close"),
    path("carnets/<int:pk>/supprimer/", views.carnet_delete, name="carnet-delete"),
]
