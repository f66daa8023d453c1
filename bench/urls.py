"""The production URLconf with the bare view in front: /bare/ exists only under the bench settings."""

from django.urls import path

from cms.urls import handler400, handler403, handler404, handler500
from cms.urls import urlpatterns as platform_urlpatterns

from . import views

urlpatterns = [path("bare/", views.bare, name="bare"), *platform_urlpatterns]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
