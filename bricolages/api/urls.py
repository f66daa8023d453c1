"""Mounted at /api/bricolages/ by cms.urls."""

from cms.api.routers import Router

from ..explorations.api import ApplicationViewSet, DayViewSet, SummaryViewSet
from ..openbricolage.api import EditionViewSet, WorkshopViewSet
from .views import BricolageViewSet

app_name = "bricolages-api"

router = Router()
router.register("explorations/days", DayViewSet, basename="exploration-day")
router.register("explorations/applications", ApplicationViewSet, basename="exploration-application")
router.register("explorations/summaries", SummaryViewSet, basename="exploration-summary")
router.register("open-bricolage/editions", EditionViewSet, basename="openbricolage-edition")
router.register("open-bricolage/workshops", WorkshopViewSet, basename="openbricolage-workshop")
router.register("", BricolageViewSet, basename="bricolage")

urlpatterns = router.urls
