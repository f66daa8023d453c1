from django.urls import path

from cms.ratelimit import ratelimit

from . import views

urlpatterns = [
    path("recherche/", ratelimit("search", methods=("GET",))(views.search_page), name="search"),
]
