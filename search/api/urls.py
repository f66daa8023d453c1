from django.urls import path

from . import views

urlpatterns = [
    path("", views.SearchView.as_view(), name="api-search"),
    path("suggest/", views.SuggestView.as_view(), name="api-search-suggest"),
]
