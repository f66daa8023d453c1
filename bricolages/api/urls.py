"""Mounted at /api/bricolages/ by cms.urls."""

from cms.api.routers import Router

from .views import BricolageViewSet

app_name = "bricolages-api"

router = Router()
router.register("", BricolageViewSet, basename="bricolage")

urlpatterns = router.urls
