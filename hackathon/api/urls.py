from cms.api.routers import Router

from .views import ComplaintViewSet, DrawViewSet, IssueViewSet, OutcomeViewSet, SessionViewSet

router = Router()
router.register("complaints", ComplaintViewSet, basename="hackathon-api-complaint")
router.register("issues", IssueViewSet, basename="hackathon-api-issue")
router.register("draws", DrawViewSet, basename="hackathon-api-draw")
router.register("sessions", SessionViewSet, basename="hackathon-api-session")
router.register("outcomes", OutcomeViewSet, basename="hackathon-api-outcome")
urlpatterns = router.urls
