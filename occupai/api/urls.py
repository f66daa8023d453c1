from cms.api.routers import Router

from . import views

router = Router()
router.register("calls", views.CallViewSet, basename="occupai-call")
router.register("proposals", views.ProposalViewSet, basename="occupai-proposal")
router.register("spaces", views.SpaceViewSet, basename="occupai-space")
router.register("events", views.EventViewSet, basename="occupai-event")

urlpatterns = router.urls
