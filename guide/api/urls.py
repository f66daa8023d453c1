"""Mounted at /api/guide/ by cms.urls."""

from cms.api.routers import Router

from .views import DemarcheViewSet, SituationViewSet

router = Router()
router.register("situations", SituationViewSet, basename="guide-api-situation")
router.register("demarches", DemarcheViewSet, basename="guide-api-demarche")
urlpatterns = router.urls
