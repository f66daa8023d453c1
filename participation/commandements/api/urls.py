from django.urls import path

from cms.api.routers import Router

from . import views

router = Router()
router.register("amendments", views.AmendmentViewSet, basename="commandements-amendment")

urlpatterns = [
    path("", views.CharterView.as_view(), name="api-commandements"),
    path("signature/", views.SignatureView.as_view(), name="api-commandements-signature"),
    path("<int:number>/history/", views.HistoryView.as_view(), name="api-commandements-history"),
    path("<int:number>/reports/", views.ReportsView.as_view(), name="api-commandements-reports"),
    *router.urls,
]
