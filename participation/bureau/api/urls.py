from cms.api.routers import Router

from .views import ProjectViewSet

router = Router()
router.register("projects", ProjectViewSet, basename="bureau-project")
urlpatterns = router.urls
