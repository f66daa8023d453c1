"""Mounted at /api/bricolages/ by cms.urls."""

from cms.api.routers import Router

from ..explorations.api import ApplicationViewSet, DayViewSet, SummaryViewSet
from .views import BricolageViewSet

app_name = "bricolages-api"

router = Router()
router.register("explorations/days", DayViewSet, basename="exploration-day")
router.register("explorations/applications", ApplicationViewSet, basename="exploration-application")
router.register("explorations/summaries", SummaryViewSet, basename="exploration-summary")
router.register("", BricolageViewSet, basename="bricolage")

urlpatterns = router.urls
