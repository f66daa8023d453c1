"""The Bureau index page's sub-pages (BureauIndexPage.route_table): one Bureau per mairie, so its
projects live under the page's own URL."""

from cms.subpages import page_route

from . import views

BUREAU_ROUTES = [
    page_route("", views.bureau_index, "index"),
    page_route("proposer/", views.project_form, "submit"),
    page_route("projets/<int:pk>/", views.project_detail, "project"),
    page_route("projets/<int:pk>/modifier/", views.project_form, "project_edit"),
    page_route("projets/<int:pk>/deposer/", views.project_submit, "project_submit"),
    page_route("projets/<int:pk>/decision/", views.project_decision, "project_decision"),
    page_route("projets/<int:pk>/nouvelles/", views.project_news, "project_news"),
    page_route("a-relire/", views.review_queue, "review_queue"),
]
