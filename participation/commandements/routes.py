"""The charter page's sub-pages: every public view of the charter lives under the page's own URL,
so it follows the page and its mairie (CharterPage.route_table)."""

from cms.subpages import page_route

from . import views

CHARTER_ROUTES = [
    page_route("", views.charter_index, "index"),
    page_route("commandement/<int:number>/", views.commandement_detail, "commandement"),
    page_route("commandement/<int:number>/amender/", views.amendment_propose, "propose"),
    page_route("amendements/<int:pk>/", views.amendment_detail, "amendment"),
    page_route("amendements/<int:pk>/<str:action>/", views.amendment_action, "amendment-action"),
    page_route("signer/", views.charter_signature, "sign"),
    page_route("affiche/", views.charter_poster, "poster"),
    page_route("ecran/", views.charter_screen, "screen"),
]
