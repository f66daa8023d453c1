"""Mounted at /api/carnets/ by cms.urls."""

from cms.api.routers import Router

from .views import CarnetViewSet

router = Router()
router.register("", CarnetViewSet, basename="carnets-api-carnet")
urlpatterns = router.urls
