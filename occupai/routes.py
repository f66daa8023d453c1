"""Occupai's sub-pages (the route tables of OccupaiIndexPage and CallPage): each call's proposals,
programme and organiser dashboard live under the call's own URL, so they follow it and its mairie."""

from cms.subpages import page_itself, page_route

from . import organiser_views, views

INDEX_ROUTES = [
    page_route("", page_itself, "index_route"),
    page_route("agenda/", views.agenda, "agenda"),
    page_route("mes-propositions/", views.my_proposals, "my_proposals"),
]

CALL_ROUTES = [
    page_route("", page_itself, "index_route"),
    page_route("proposer/", views.proposal_new, "propose"),
    page_route("mes-propositions/", views.call_mine, "mine"),
    page_route("propositions/<int:pk>/", views.proposal_detail, "proposal"),
    page_route("propositions/<int:pk>/modifier/", views.proposal_edit, "proposal_edit"),
    page_route("propositions/<int:pk>/deposer/", views.proposal_submit, "proposal_submit"),
    page_route("propositions/<int:pk>/supprimer/", views.proposal_delete, "proposal_delete"),
    page_route("programme/", views.programme, "programme"),
    page_route("programme/<int:pk>/", views.event_detail, "event"),
    page_route("organisation/", organiser_views.dashboard, "organise"),
    page_route("organisation/<int:pk>/<slug:action>/", organiser_views.proposal_action, "organise_action"),
    page_route("organisation/ecarter-les-autres/", organiser_views.decline_rest, "organise_decline_rest"),
]
