"""Permission matrix: every route of the project (URLconf, routes of routable Wagtail pages, page
types), requested as anonymous, a resident of the 19e, a resident of the 20e, an agent, an
editor and an organiser, must answer the status written in TABLE below.

A route missing from TABLE fails the test: a new route cannot be forgotten. The failure message
lists the missing rows with the statuses observed now, ready to paste once each one is checked.

How to add an app (when it lands):
1. remove it from PENDING_APPS (tests/security/pending.py);
2. add FILLERS (tests/security/fillers.py) for its path parameters (a function of the demo data returning {param: value});
3. run `pytest tests/security/test_permission_matrix.py`, check each observed status in the
   message (is a 200 for r20 really wanted?), paste the rows into TABLE.
Requests carry an empty body: the table says who gets through the door, not what a valid
payload does (the apps' own tests do that).
"""

import dataclasses

import pytest
from django.db import transaction

from tests.factories.demo import seed_demo

from .fillers import FILLERS, extra_objects
from .matrix import ROLES, DemoData, Requester, fill, format_row, header, parse_table
from .pending import PENDING_APPS  # apps still being written: their routes are not required yet
from .routes import all_routes

# Routes not requested, and why (key prefixes; "admin/" itself and the platform's own admin pages
# in ADMIN_KEPT stay in TABLE).
SKIPPED = {
    "admin/": "the Wagtail admin's internals follow Wagtail's own permissions (the dashboard is in TABLE)",
    "{arg1}": "Wagtail's catch-all page route: each page type has its own row ({app.model}/)",
    "_util/authenticate_with_password/": "Wagtail's password-protected pages (needs a view restriction)",
    "documents/authenticate_with_password/": "Wagtail's password-protected documents (needs a restriction)",
    "{bricolages.": "bricolage pages sit outside every Site's tree: Wagtail never serves them, the "
                    "bricolages/ routes (in TABLE) do",
}


TABLE = """
# route                                                          method anon   r19    r20    agent  editor orga
.well-known/security.txt                                         GET    200    200    200    200    200    200
.well-known/security.txt                                         POST   405    405    405    405    405    405
_util/login/                                                     GET    200    200    200    200    200    200
accessibilite/                                                   GET    200    200    200    200    200    200
accessibilite/                                                   POST   405    405    405    405    405    405
accueil/                                                         GET    200    200    200    200    200    200
accueil/                                                         POST   400    400    400    400    400    400
accueil/borne/                                                   GET    200    200    200    200    200    200
accueil/borne/                                                   POST   400    400    400    400    400    400
accueil/coworking/                                               GET    200    200    200    200    200    200
accueil/coworking/                                               POST   405    405    405    405    405    405
accueil/coworking/agenda/{key}.ics                               GET    200    200    200    200    200    200
accueil/coworking/agenda/{key}.ics                               POST   405    405    405    405    405    405
accueil/coworking/invitation/{key}/                              GET    200    200    200    200    200    200
accueil/coworking/invitation/{key}/                              POST   400    400    400    400    400    400
accueil/coworking/invitation/{key}/annuler/{pk}/                 GET    404    404    404    404    404    404
accueil/coworking/invitation/{key}/annuler/{pk}/                 POST   302    302    302    302    302    302
accueil/coworking/invitations/                                   GET    302    403    403    403    403    200
accueil/coworking/invitations/                                   POST   302    403    403    403    403    400
accueil/coworking/invitations/{pk}/retirer/                      GET    404    404    404    404    404    404
accueil/coworking/invitations/{pk}/retirer/                      POST   302    403    403    403    403    302
accueil/coworking/mes-reservations/                              GET    302    403    403    200    200    200
accueil/coworking/mes-reservations/                              POST   405    405    405    405    405    405
accueil/coworking/reservations/{pk}/annuler/                     GET    404    404    404    404    404    404
accueil/coworking/reservations/{pk}/annuler/                     POST   302    403    403    302    404    404
accueil/coworking/{pk}/                                          GET    200    200    200    200    200    200
accueil/coworking/{pk}/                                          POST   302    403    403    400    400    400
accueil/ecran/                                                   GET    200    200    200    200    200    200
accueil/ecran/                                                   POST   405    405    405    405    405    405
accueil/guichets/                                                GET    302    403    403    200    200    200
accueil/guichets/                                                POST   302    403    403    400    400    400
accueil/guichets/{pk}/                                           GET    302    403    403    200    200    200
accueil/guichets/{pk}/                                           POST   302    403    403    405    405    405
accueil/guichets/{pk}/{action}/                                  GET    404    404    404    404    404    404
accueil/guichets/{pk}/{action}/                                  POST   302    403    403    302    302    302
accueil/ticket/{token}/                                          GET    200    200    200    200    200    200
accueil/ticket/{token}/                                          POST   405    405    405    405    405    405
accueil/ticket/{token}/annuler/                                  GET    404    404    404    404    404    404
accueil/ticket/{token}/annuler/                                  POST   302    302    302    302    302    302
admin/                                                           GET    302    302    302    200    200    200
admin/                                                           POST   302    302    302    405    405    405
admin/guide-equipes/                                             GET    302    302    302    200    200    200
admin/guide-equipes/                                             POST   302    302    302    405    405    405
api/                                                             GET    200    200    200    200    200    200
api/accueil/counters/                                            GET    401    403    403    200    200    200
api/accueil/counters/                                            POST   401    403    403    405    405    405
api/accueil/counters/{pk}/absent/                                GET    401    403    403    405    405    405
api/accueil/counters/{pk}/absent/                                POST   401    403    403    409    409    409
api/accueil/counters/{pk}/call-next/                             GET    401    403    403    405    405    405
api/accueil/counters/{pk}/call-next/                             POST   401    403    403    200    200    200
api/accueil/counters/{pk}/recall/                                GET    401    403    403    405    405    405
api/accueil/counters/{pk}/recall/                                POST   401    403    403    409    409    409
api/accueil/counters/{pk}/served/                                GET    401    403    403    405    405    405
api/accueil/counters/{pk}/served/                                POST   401    403    403    409    409    409
api/accueil/counters/{pk}/transfer/                              GET    401    403    403    405    405    405
api/accueil/counters/{pk}/transfer/                              POST   401    403    403    400    400    400
api/accueil/coworking/bookings/                                  GET    401    403    403    200    200    200
api/accueil/coworking/bookings/                                  POST   401    403    403    400    400    400
api/accueil/coworking/bookings/{pk}/cancel/                      GET    401    403    403    405    405    405
api/accueil/coworking/bookings/{pk}/cancel/                      POST   401    403    403    200    404    404
api/accueil/coworking/invitations/                               GET    401    403    403    403    403    200
api/accueil/coworking/invitations/                               POST   401    403    403    403    403    400
api/accueil/coworking/invitations/{key}/bookings/                GET    200    200    200    200    200    200
api/accueil/coworking/invitations/{key}/bookings/                POST   400    400    400    400    400    400
api/accueil/coworking/invitations/{key}/bookings/{pk}/cancel/    GET    405    405    405    405    405    405
api/accueil/coworking/invitations/{key}/bookings/{pk}/cancel/    POST   200    200    200    200    200    200
api/accueil/coworking/spaces/                                    GET    200    200    200    200    200    200
api/accueil/coworking/spaces/                                    POST   405    405    405    405    405    405
api/accueil/coworking/spaces/{pk}/availability/                  GET    200    200    200    200    200    200
api/accueil/coworking/spaces/{pk}/availability/                  POST   405    405    405    405    405    405
api/accueil/screen/                                              GET    200    200    200    200    200    200
api/accueil/screen/                                              POST   405    405    405    405    405    405
api/accueil/services/                                            GET    200    200    200    200    200    200
api/accueil/services/                                            POST   405    405    405    405    405    405
api/accueil/tickets/                                             GET    405    405    405    405    405    405
api/accueil/tickets/                                             POST   400    400    400    400    400    400
api/accueil/tickets/{token}/                                     GET    200    200    200    200    200    200
api/accueil/tickets/{token}/                                     POST   405    405    405    405    405    405
api/accueil/tickets/{token}/cancel/                              GET    405    405    405    405    405    405
api/accueil/tickets/{token}/cancel/                              POST   200    200    200    200    200    200
api/auth/token/                                                  POST   400    400    400    400    400    400
api/bricolages/                                                  GET    401    403    403    200    200    200
api/bricolages/                                                  POST   401    403    403    400    400    400
api/bricolages/{pk}/                                             GET    401    403    403    200    200    200
api/bricolages/{pk}/                                             POST   401    403    403    405    405    405
api/bricolages/{pk}/feedback/                                    GET    401    403    403    200    200    200
api/bricolages/{pk}/feedback/                                    POST   401    403    403    400    400    400
api/bricolages/{pk}/rating/                                      GET    401    403    403    200    200    200
api/bricolages/{pk}/rating/                                      POST   401    403    403    405    405    405
api/bricolages/{pk}/revisions/                                   GET    401    403    403    200    200    200
api/bricolages/{pk}/revisions/                                   POST   401    403    403    405    405    405
api/bricolages/{pk}/revisions/{revision_id}/restore/             GET    401    403    403    405    405    405
api/bricolages/{pk}/revisions/{revision_id}/restore/             POST   401    403    403    200    200    200
api/bureau/projects/                                             GET    200    200    200    200    200    200
api/bureau/projects/                                             POST   403    400    400    400    400    400
api/bureau/projects/similar/                                     GET    400    400    400    400    400    400
api/bureau/projects/{pk}/                                        PATCH  403    409    403    403    403    403
api/bureau/projects/{pk}/submit/                                 POST   403    200    404    404    404    403
api/bureau/projects/{pk}/transition/                             POST   403    403    403    403    403    400
api/bureau/projects/{pk}/updates/                                GET    200    200    200    200    200    200
api/bureau/projects/{pk}/updates/                                POST   403    400    400    400    400    400
api/bureau/projects/{pk}/vote/                                   DELETE 403    409    409    200    409    409
api/carnets/                                                     GET    401    200    200    200    200    200
api/carnets/                                                     POST   401    400    400    400    400    400
api/carnets/{pk}/                                                GET    401    200    404    200    404    404
api/carnets/{pk}/                                                POST   401    405    405    405    405    405
api/carnets/{pk}/agent/                                          GET    401    405    405    405    405    405
api/carnets/{pk}/agent/                                          POST   401    403    404    200    404    404
api/carnets/{pk}/close/                                          GET    401    405    405    405    405    405
api/carnets/{pk}/close/                                          POST   401    200    404    200    404    404
api/carnets/{pk}/items/{item_id}/                                GET    401    405    405    405    405    405
api/carnets/{pk}/items/{item_id}/                                POST   401    400    404    400    404    404
api/carnets/{pk}/share/                                          GET    401    405    405    405    405    405
api/carnets/{pk}/share/                                          POST   401    400    404    400    404    404
api/carnets/{pk}/shares/{share_id}/revoke/                       GET    401    405    405    405    405    405
api/carnets/{pk}/shares/{share_id}/revoke/                       POST   401    200    404    403    404    404
api/commandements/                                               GET    200    200    200    200    200    200
api/commandements/                                               POST   405    405    405    405    405    405
api/commandements/amendments/                                    GET    200    200    200    200    200    200
api/commandements/amendments/                                    POST   403    400    400    400    400    400
api/commandements/amendments/{pk}/                               GET    200    200    200    200    200    200
api/commandements/amendments/{pk}/                               POST   403    405    405    405    405    405
api/commandements/amendments/{pk}/adopt/                         GET    403    405    405    405    405    405
api/commandements/amendments/{pk}/adopt/                         POST   403    403    403    403    200    403
api/commandements/amendments/{pk}/reject/                        GET    403    405    405    405    405    405
api/commandements/amendments/{pk}/reject/                        POST   403    403    403    403    400    403
api/commandements/amendments/{pk}/vote/                          GET    403    405    405    405    405    405
api/commandements/amendments/{pk}/vote/                          POST   403    201    403    409    201    201
api/commandements/amendments/{pk}/withdraw/                      GET    403    405    405    405    405    405
api/commandements/amendments/{pk}/withdraw/                      POST   403    200    403    403    403    403
api/commandements/signature/                                     GET    200    200    200    200    200    200
api/commandements/signature/                                     POST   403    409    403    409    201    201
api/commandements/{number}/history/                              GET    200    200    200    200    200    200
api/commandements/{number}/history/                              POST   405    405    405    405    405    405
api/commandements/{number}/reports/                              GET    200    200    200    200    200    200
api/commandements/{number}/reports/                              POST   405    405    405    405    405    405
api/docs/                                                        GET    200    200    200    200    200    200
api/guide/demarches/                                             GET    200    200    200    200    200    200
api/guide/demarches/                                             POST   405    405    405    405    405    405
api/guide/demarches/{pk}/                                        GET    200    200    200    200    200    200
api/guide/demarches/{pk}/                                        POST   405    405    405    405    405    405
api/guide/situations/                                            GET    200    200    200    200    200    200
api/guide/situations/                                            POST   405    405    405    405    405    405
api/guide/situations/{pk}/                                       GET    200    200    200    200    200    200
api/guide/situations/{pk}/                                       POST   405    405    405    405    405    405
api/hackathon/complaints/                                        GET    403    403    403    200    403    200
api/hackathon/complaints/                                        POST   403    400    400    400    400    400
api/hackathon/complaints/{pk}/                                   GET    403    403    403    200    403    200
api/hackathon/complaints/{pk}/                                   POST   403    405    405    405    405    405
api/hackathon/complaints/{pk}/suggestions/                       GET    403    403    403    200    403    200
api/hackathon/complaints/{pk}/suggestions/                       POST   403    405    405    405    405    405
api/hackathon/draws/                                             GET    200    200    200    200    200    200
api/hackathon/draws/                                             POST   403    403    403    403    403    400
api/hackathon/draws/{pk}/                                        GET    200    200    200    200    200    200
api/hackathon/draws/{pk}/                                        POST   403    405    405    405    405    405
api/hackathon/draws/{pk}/close/                                  GET    403    405    405    405    405    405
api/hackathon/draws/{pk}/close/                                  POST   403    403    403    403    403    400
api/hackathon/draws/{pk}/redraw/                                 GET    403    405    405    405    405    405
api/hackathon/draws/{pk}/redraw/                                 POST   403    403    403    403    403    400
api/hackathon/draws/{pk}/run/                                    GET    403    405    405    405    405    405
api/hackathon/draws/{pk}/run/                                    POST   403    403    403    403    403    400
api/hackathon/draws/{pk}/verify/                                 GET    200    200    200    200    200    200
api/hackathon/draws/{pk}/verify/                                 POST   403    405    405    405    405    405
api/hackathon/issues/                                            GET    200    200    200    200    200    200
api/hackathon/issues/                                            POST   403    403    403    400    403    400
api/hackathon/issues/{pk}/                                       GET    200    200    200    200    200    200
api/hackathon/issues/{pk}/                                       POST   403    405    405    405    405    405
api/hackathon/issues/{pk}/vote/                                  GET    403    405    405    405    405    405
api/hackathon/issues/{pk}/vote/                                  POST   403    409    403    201    201    201
api/hackathon/outcomes/                                          GET    200    200    200    200    200    200
api/hackathon/outcomes/                                          POST   403    403    403    403    403    400
api/hackathon/outcomes/{pk}/                                     GET    200    200    200    200    200    200
api/hackathon/outcomes/{pk}/                                     POST   403    405    405    405    405    405
api/hackathon/outcomes/{pk}/advance/                             GET    403    405    405    405    405    405
api/hackathon/outcomes/{pk}/advance/                             POST   403    403    403    403    403    400
api/hackathon/sessions/                                          GET    200    200    200    200    200    200
api/hackathon/sessions/                                          POST   403    403    403    403    403    400
api/hackathon/sessions/{pk}/                                     GET    200    200    200    200    200    200
api/hackathon/sessions/{pk}/                                     POST   403    405    405    405    405    405
api/hackathon/sessions/{pk}/registration/                        GET    403    405    405    405    405    405
api/hackathon/sessions/{pk}/registration/                        POST   403    400    400    400    400    400
api/me/                                                          GET    403    200    200    200    200    200
api/occupai/calls/                                               GET    200    200    200    200    200    200
api/occupai/calls/                                               POST   405    405    405    405    405    405
api/occupai/calls/{pk}/                                          GET    200    200    200    200    200    200
api/occupai/calls/{pk}/                                          POST   405    405    405    405    405    405
api/occupai/calls/{pk}/programme/                                GET    200    200    200    200    200    200
api/occupai/calls/{pk}/programme/                                POST   405    405    405    405    405    405
api/occupai/calls/{pk}/ranking/                                  GET    403    403    403    403    403    200
api/occupai/calls/{pk}/ranking/                                  POST   403    405    405    405    405    405
api/occupai/events/                                              GET    200    200    200    200    200    200
api/occupai/events/                                              POST   405    405    405    405    405    405
api/occupai/events/{pk}/                                         GET    200    200    200    200    200    200
api/occupai/events/{pk}/                                         POST   405    405    405    405    405    405
api/occupai/proposals/                                           GET    200    200    200    200    200    200
api/occupai/proposals/                                           POST   403    400    400    400    400    400
api/occupai/proposals/{pk}/                                      GET    200    200    200    200    200    200
api/occupai/proposals/{pk}/                                      POST   403    405    405    405    405    405
api/occupai/proposals/{pk}/accept/                               GET    403    405    405    405    405    405
api/occupai/proposals/{pk}/accept/                               POST   403    403    403    403    403    409
api/occupai/proposals/{pk}/decline/                              GET    403    405    405    405    405    405
api/occupai/proposals/{pk}/decline/                              POST   403    403    403    403    403    400
api/occupai/proposals/{pk}/reject/                               GET    403    405    405    405    405    405
api/occupai/proposals/{pk}/reject/                               POST   403    403    403    403    403    400
api/occupai/proposals/{pk}/schedule/                             GET    403    405    405    405    405    405
api/occupai/proposals/{pk}/schedule/                             POST   403    403    403    403    403    400
api/occupai/proposals/{pk}/submit/                               GET    403    405    405    405    405    405
api/occupai/proposals/{pk}/submit/                               POST   403    403    403    403    403    403
api/occupai/proposals/{pk}/vote/                                 GET    403    405    405    405    405    405
api/occupai/proposals/{pk}/vote/                                 POST   403    201    403    409    409    409
api/occupai/spaces/                                              GET    200    200    200    200    200    200
api/occupai/spaces/                                              POST   405    405    405    405    405    405
api/occupai/spaces/{pk}/                                         GET    200    200    200    200    200    200
api/occupai/spaces/{pk}/                                         POST   405    405    405    405    405    405
api/opendata/                                                    GET    200    200    200    200    200    200
api/opendata/                                                    POST   405    405    405    405    405    405
api/participation/comments/                                      GET    200    200    200    200    200    200
api/participation/comments/                                      POST   403    400    400    400    400    400
api/participation/follows/                                       DELETE 403    400    400    400    400    400
api/participation/moderation/hide/                               POST   403    403    403    403    403    400
api/participation/moderation/queue/                              GET    403    403    403    403    403    200
api/participation/moderation/restore/                            POST   403    403    403    403    403    400
api/participation/notifications/                                 GET    403    200    200    200    200    200
api/participation/notifications/read/                            POST   403    200    200    200    200    200
api/participation/quartiers/                                     GET    200    200    200    200    200    200
api/participation/reports/                                       POST   403    400    400    400    400    400
api/participation/timeline/                                      GET    200    200    200    200    200    200
api/schema/                                                      GET    200    200    200    200    200    200
api/search/                                                      GET    200    200    200    200    200    200
api/search/                                                      POST   405    405    405    405    405    405
api/search/suggest/                                              GET    200    200    200    200    200    200
api/search/suggest/                                              POST   405    405    405    405    405    405
api/v2/documents/                                                GET    200    200    200    200    200    200
api/v2/documents/find/                                           GET    404    404    404    404    404    404
api/v2/documents/{pk}/                                           GET    200    200    200    200    200    200
api/v2/images/                                                   GET    200    200    200    200    200    200
api/v2/images/find/                                              GET    404    404    404    404    404    404
api/v2/images/{pk}/                                              GET    200    200    200    200    200    200
api/v2/pages/                                                    GET    200    200    200    200    200    200
api/v2/pages/find/                                               GET    404    404    404    404    404    404
api/v2/pages/{pk}/                                               GET    200    200    200    200    200    200
bricolages/                                                      GET    302    403    403    200    200    200
bricolages/                                                      POST   302    403    403    405    405    405
bricolages/images/{image_id}/{size}/                             GET    302    403    403    200    200    200
bricolages/images/{image_id}/{size}/                             POST   302    403    403    405    405    405
bricolages/nouveau/                                              GET    302    403    403    200    200    200
bricolages/nouveau/                                              POST   302    403    403    400    400    400
bricolages/{pk}/                                                 GET    302    403    403    200    200    200
bricolages/{pk}/                                                 POST   302    403    403    405    405    405
bricolages/{pk}/difference-avec-l-original/                      GET    302    403    403    404    404    404
bricolages/{pk}/difference-avec-l-original/                      POST   302    403    403    405    405    405
bricolages/{pk}/fichiers/{attachment_id}/                        GET    302    403    403    200    200    200
bricolages/{pk}/fichiers/{attachment_id}/                        POST   302    403    403    405    405    405
bricolages/{pk}/historique/                                      GET    302    403    403    200    200    200
bricolages/{pk}/historique/                                      POST   302    403    403    405    405    405
bricolages/{pk}/historique/comparer/                             GET    302    403    403    200    200    200
bricolages/{pk}/historique/comparer/                             POST   302    403    403    405    405    405
bricolages/{pk}/historique/{revision_id}/                        GET    302    403    403    200    200    200
bricolages/{pk}/historique/{revision_id}/                        POST   302    403    403    405    405    405
bricolages/{pk}/historique/{revision_id}/restaurer/              GET    302    403    403    200    200    200
bricolages/{pk}/historique/{revision_id}/restaurer/              POST   302    403    403    400    400    400
bricolages/{pk}/modifier/                                        GET    302    403    403    200    200    200
bricolages/{pk}/modifier/                                        POST   302    403    403    400    400    400
bricolages/{pk}/note/                                            GET    302    403    403    405    405    405
bricolages/{pk}/note/                                            POST   302    403    403    400    400    400
bricolages/{pk}/note/retirer/                                    GET    302    403    403    405    405    405
bricolages/{pk}/note/retirer/                                    POST   302    403    403    302    302    302
bricolages/{pk}/retour/                                          GET    302    403    403    405    405    405
bricolages/{pk}/retour/                                          POST   302    403    403    400    400    400
bricolages/{pk}/variante/                                        GET    302    403    403    200    200    200
bricolages/{pk}/variante/                                        POST   302    403    403    400    400    400
carnets/                                                         GET    302    200    200    200    200    200
carnets/                                                         POST   405    405    405    405    405    405
carnets/guichet/                                                 GET    302    403    403    200    200    200
carnets/guichet/                                                 POST   302    403    403    400    400    400
carnets/ouvrir/                                                  GET    404    404    404    404    404    404
carnets/ouvrir/                                                  POST   302    302    302    302    302    302
carnets/services/                                                GET    302    403    403    200    200    200
carnets/services/                                                POST   405    405    405    405    405    405
carnets/{pk}/                                                    GET    302    200    404    200    404    404
carnets/{pk}/                                                    POST   405    405    405    405    405    405
carnets/{pk}/documents/{item_id}/                                GET    404    404    404    404    404    404
carnets/{pk}/documents/{item_id}/                                POST   302    302    404    302    404    404
carnets/{pk}/imprimer/                                           GET    302    200    404    200    404    404
carnets/{pk}/imprimer/                                           POST   405    405    405    405    405    405
carnets/{pk}/partager/                                           GET    404    404    404    404    404    404
carnets/{pk}/partager/                                           POST   302    302    404    302    404    404
carnets/{pk}/partages/{share_id}/retirer/                        GET    404    404    404    404    404    404
carnets/{pk}/partages/{share_id}/retirer/                        POST   302    302    404    302    404    404
carnets/{pk}/rendez-vous/                                        GET    404    404    404    404    404    404
carnets/{pk}/rendez-vous/                                        POST   302    302    404    302    404    404
carnets/{pk}/supprimer/                                          GET    404    404    404    404    404    404
carnets/{pk}/supprimer/                                          POST   302    302    404    302    404    404
carnets/{pk}/terminer/                                           GET    404    404    404    404    404    404
carnets/{pk}/terminer/                                           POST   302    302    404    302    404    404
compte/                                                          GET    302    200    200    200    200    200
compte/confirmer/renvoyer/                                       GET    302    405    405    405    405    405
compte/confirmer/renvoyer/                                       POST   302    302    302    302    302    302
compte/confirmer/{token}/                                        GET    302    302    302    302    302    302
compte/connexion/                                                GET    200    302    302    302    302    302
compte/connexion/                                                POST   200    302    302    302    302    302
compte/deconnexion/                                              POST   302    302    302    302    302    302
compte/inscription/                                              GET    200    302    302    302    302    302
compte/inscription/                                              POST   400    302    302    302    302    302
compte/mes-donnees/                                              GET    302    200    200    200    200    200
compte/mot-de-passe/nouveau/fait/                                GET    200    200    200    200    200    200
compte/mot-de-passe/nouveau/{uidb64}/{token}/                    GET    302    302    302    302    302    302
compte/mot-de-passe/oubli/                                       GET    200    200    200    200    200    200
compte/mot-de-passe/oubli/                                       POST   200    200    200    200    200    200
compte/mot-de-passe/oubli/envoye/                                GET    200    200    200    200    200    200
compte/supprimer/                                                GET    302    200    200    200    200    200
compte/supprimer/                                                POST   302    400    400    400    400    400
donnees-ouvertes/                                                GET    200    200    200    200    200    200
donnees-ouvertes/                                                POST   405    405    405    405    405    405
donnees-ouvertes/{key}.csv                                       GET    200    200    200    200    200    200
donnees-ouvertes/{key}.csv                                       POST   405    405    405    405    405    405
donnees-ouvertes/{key}.json                                      GET    200    200    200    200    200    200
donnees-ouvertes/{key}.json                                      POST   405    405    405    405    405    405
documents/{arg1}/{arg2}                                          GET    200    200    200    200    200    200
donnees-personnelles/                                            GET    200    200    200    200    200    200
donnees-personnelles/                                            POST   405    405    405    405    405    405
healthz                                                          GET    200    200    200    200    200    200
healthz                                                          POST   405    405    405    405    405    405
i18n/setlang/                                                    POST   302    302    302    302    302    302
images/{name}                                                    GET    200    200    200    200    200    200
images/{name}                                                    POST   405    405    405    405    405    405
jsi18n/                                                          GET    200    200    200    200    200    200
mentions-legales/                                                GET    200    200    200    200    200    200
mentions-legales/                                                POST   405    405    405    405    405    405
moderation/                                                      GET    302    403    403    403    403    200
moderation/                                                      POST   302    403    403    403    403    404
notifications/                                                   GET    302    200    200    200    200    200
notifications/                                                   POST   302    302    302    302    302    302
occupai/photos/{name}                                            GET    200    200    200    200    200    200
occupai/photos/{name}                                            POST   405    405    405    405    405    405
participer/commenter/                                            POST   302    404    404    404    404    404
participer/ne-plus-suivre/                                       POST   302    404    404    404    404    404
participer/retirer-mon-soutien/                                  POST   302    404    404    404    404    404
participer/signaler/                                             GET    302    200    200    200    200    200
participer/signaler/                                             POST   302    400    400    400    400    400
participer/soutenir/                                             POST   302    404    404    404    404    404
participer/suivre/                                               POST   302    404    404    404    404    404
recherche/                                                       GET    200    200    200    200    200    200
recherche/                                                       POST   200    200    200    200    200    200
robots.txt                                                       GET    200    200    200    200    200    200
robots.txt                                                       POST   405    405    405    405    405    405
service-lab/                                                     GET    200    200    200    200    200    200
service-lab/                                                     POST   200    200    200    200    200    200
service-lab/agents/courriers/                                    GET    302    403    403    200    403    200
service-lab/agents/courriers/                                    POST   302    403    403    200    403    200
service-lab/agents/courriers/nouveau/                            GET    302    403    403    200    403    200
service-lab/agents/courriers/nouveau/                            POST   302    403    403    200    403    200
service-lab/agents/courriers/{pk}/                               GET    302    403    403    200    403    200
service-lab/agents/courriers/{pk}/                               POST   302    403    403    200    403    200
service-lab/agents/courriers/{pk}/scan/                          GET    302    403    403    404    403    404
service-lab/agents/courriers/{pk}/scan/                          POST   302    403    403    404    403    404
service-lab/agents/lettres/                                      GET    302    403    403    200    403    200
service-lab/agents/lettres/                                      POST   302    403    403    200    403    200
service-lab/agents/lettres/{pk}/envoyee/                         GET    405    405    405    405    405    405
service-lab/agents/lettres/{pk}/envoyee/                         POST   302    403    403    302    403    302
service-lab/agents/lettres/{pk}/lettre.pdf                       GET    302    403    403    200    403    200
service-lab/agents/lettres/{pk}/lettre.pdf                       POST   302    403    403    200    403    200
service-lab/agents/sujets/nouveau/                               GET    302    403    403    200    403    200
service-lab/agents/sujets/nouveau/                               POST   302    403    403    200    403    200
service-lab/ecrire/                                              GET    302    200    200    200    200    200
service-lab/ecrire/                                              POST   302    200    200    200    200    200
service-lab/hackathons/                                          GET    200    200    200    200    200    200
service-lab/hackathons/                                          POST   200    200    200    200    200    200
service-lab/hackathons/{pk}/                                     GET    200    200    200    200    200    200
service-lab/hackathons/{pk}/                                     POST   200    200    200    200    200    200
service-lab/hackathons/{pk}/inscription/                         GET    405    405    405    405    405    405
service-lab/hackathons/{pk}/inscription/                         POST   302    302    302    302    302    302
service-lab/hackathons/{pk}/modifier/                            GET    405    405    405    405    405    405
service-lab/hackathons/{pk}/modifier/                            POST   302    403    403    403    403    400
service-lab/hackathons/{pk}/suite/                               GET    405    405    405    405    405    405
service-lab/hackathons/{pk}/suite/                               POST   302    403    403    403    403    400
service-lab/hackathons/{pk}/suite/etape/                         GET    405    405    405    405    405    405
service-lab/hackathons/{pk}/suite/etape/                         POST   302    403    403    403    403    400
service-lab/organisation/                                        GET    302    403    403    403    403    200
service-lab/organisation/                                        POST   302    403    403    403    403    200
service-lab/sujets/                                              GET    200    200    200    200    200    200
service-lab/sujets/                                              POST   200    200    200    200    200    200
service-lab/sujets/{pk}/                                         GET    200    200    200    200    200    200
service-lab/sujets/{pk}/                                         POST   200    200    200    200    200    200
service-lab/sujets/{pk}/modifier/                                GET    405    405    405    405    405    405
service-lab/sujets/{pk}/modifier/                                POST   302    403    403    302    403    302
service-lab/sujets/{pk}/moi-aussi/                               GET    405    405    405    405    405    405
service-lab/sujets/{pk}/moi-aussi/                               POST   302    302    302    302    302    302
service-lab/tirages/                                             GET    200    200    200    200    200    200
service-lab/tirages/                                             POST   200    200    200    200    200    200
service-lab/tirages/{pk}/                                        GET    200    200    200    200    200    200
service-lab/tirages/{pk}/                                        POST   200    200    200    200    200    200
service-lab/tirages/{pk}/cloturer/                               GET    405    405    405    405    405    405
service-lab/tirages/{pk}/cloturer/                               POST   302    403    403    403    403    400
service-lab/tirages/{pk}/journee/                                GET    302    403    403    403    403    200
service-lab/tirages/{pk}/journee/                                POST   302    403    403    403    403    200
service-lab/tirages/{pk}/liste.json                              GET    200    200    200    200    200    200
service-lab/tirages/{pk}/liste.json                              POST   200    200    200    200    200    200
service-lab/tirages/{pk}/refaire/                                GET    405    405    405    405    405    405
service-lab/tirages/{pk}/refaire/                                POST   302    403    403    403    403    400
service-lab/tirages/{pk}/tirer/                                  GET    405    405    405    405    405    405
service-lab/tirages/{pk}/tirer/                                  POST   302    403    403    403    403    400
service-lab/tirages/{pk}/verifier.py                             GET    200    200    200    200    200    200
service-lab/tirages/{pk}/verifier.py                             POST   200    200    200    200    200    200
sitemap.xml                                                      GET    200    200    200    200    200    200
vie-privee/                                                      GET    301    301    301    301    301    301
vie-privee/                                                      POST   301    301    301    301    301    301
{bureau.bureauindexpage}/                                        GET    200    200    200    200    200    200
{bureau.bureauindexpage}/a-relire/                               GET    302    403    403    403    403    200
{bureau.bureauindexpage}/a-relire/                               POST   302    403    403    403    403    200
{bureau.bureauindexpage}/projets/{pk}/                           GET    200    200    200    200    200    200
{bureau.bureauindexpage}/projets/{pk}/decision/                  GET    404    404    404    404    404    404
{bureau.bureauindexpage}/projets/{pk}/decision/                  POST   302    403    403    403    403    302
{bureau.bureauindexpage}/projets/{pk}/deposer/                   GET    404    404    404    404    404    404
{bureau.bureauindexpage}/projets/{pk}/deposer/                   POST   302    302    404    404    404    302
{bureau.bureauindexpage}/projets/{pk}/modifier/                  GET    302    200    404    404    404    403
{bureau.bureauindexpage}/projets/{pk}/modifier/                  POST   302    400    404    404    404    403
{bureau.bureauindexpage}/projets/{pk}/nouvelles/                 GET    404    404    404    404    404    404
{bureau.bureauindexpage}/projets/{pk}/nouvelles/                 POST   302    302    302    302    302    302
{bureau.bureauindexpage}/proposer/                               GET    302    200    403    200    200    200
{bureau.bureauindexpage}/proposer/                               POST   302    400    403    400    400    400
{cms.homepage}/                                                  GET    200    200    200    200    200    200
{cms.standardpage}/                                              GET    200    200    200    200    200    200
{commandements.charterpage}/                                     GET    200    200    200    200    200    200
{commandements.charterpage}/                                     POST   200    200    200    200    200    200
{commandements.charterpage}/affiche/                             GET    200    200    200    200    200    200
{commandements.charterpage}/affiche/                             POST   200    200    200    200    200    200
{commandements.charterpage}/amendements/{pk}/                    GET    200    200    200    200    200    200
{commandements.charterpage}/amendements/{pk}/                    POST   200    200    200    200    200    200
{commandements.charterpage}/amendements/{pk}/{action}/           GET    405    405    405    405    405    405
{commandements.charterpage}/amendements/{pk}/{action}/           POST   302    302    302    302    302    302
{commandements.charterpage}/commandement/{number}/               GET    200    200    200    200    200    200
{commandements.charterpage}/commandement/{number}/               POST   200    200    200    200    200    200
{commandements.charterpage}/commandement/{number}/amender/       GET    302    200    200    200    200    200
{commandements.charterpage}/commandement/{number}/amender/       POST   302    400    400    400    400    400
{commandements.charterpage}/ecran/                               GET    200    200    200    200    200    200
{commandements.charterpage}/ecran/                               POST   200    200    200    200    200    200
{commandements.charterpage}/signer/                              GET    405    405    405    405    405    405
{commandements.charterpage}/signer/                              POST   302    302    302    302    302    302
{guide.demarchepage}/                                            GET    200    200    200    200    200    200
{guide.demarchepage}/                                            POST   200    200    200    200    200    200
{guide.guideindexpage}/                                          GET    200    200    200    200    200    200
{guide.guideindexpage}/                                          POST   200    200    200    200    200    200
{guide.lifesituationpage}/                                       GET    200    200    200    200    200    200
{guide.lifesituationpage}/                                       POST   200    200    200    200    200    200
{occupai.callpage}/                                              GET    200    200    200    200    200    200
{occupai.callpage}/                                              POST   200    200    200    200    200    200
{occupai.callpage}/mes-propositions/                             GET    302    200    200    200    200    200
{occupai.callpage}/mes-propositions/                             POST   302    200    200    200    200    200
{occupai.callpage}/organisation/                                 GET    302    403    403    403    403    200
{occupai.callpage}/organisation/                                 POST   302    403    403    403    403    200
{occupai.callpage}/organisation/ecarter-les-autres/              GET    302    403    403    403    403    404
{occupai.callpage}/organisation/ecarter-les-autres/              POST   302    403    403    403    403    400
{occupai.callpage}/organisation/{pk}/{action}/                   GET    302    403    403    403    403    404
{occupai.callpage}/organisation/{pk}/{action}/                   POST   302    403    403    403    403    302
{occupai.callpage}/programme/                                    GET    200    200    200    200    200    200
{occupai.callpage}/programme/                                    POST   200    200    200    200    200    200
{occupai.callpage}/programme/{pk}/                               GET    200    200    200    200    200    200
{occupai.callpage}/programme/{pk}/                               POST   200    200    200    200    200    200
{occupai.callpage}/proposer/                                     GET    302    400    403    400    400    400
{occupai.callpage}/proposer/                                     POST   302    400    403    400    400    400
{occupai.callpage}/propositions/{pk}/                            GET    200    200    200    200    200    200
{occupai.callpage}/propositions/{pk}/                            POST   200    200    200    200    200    200
{occupai.callpage}/propositions/{pk}/deposer/                    GET    404    404    404    404    404    404
{occupai.callpage}/propositions/{pk}/deposer/                    POST   302    302    302    302    302    302
{occupai.callpage}/propositions/{pk}/modifier/                   GET    302    403    403    403    403    403
{occupai.callpage}/propositions/{pk}/modifier/                   POST   302    403    403    403    403    403
{occupai.callpage}/propositions/{pk}/supprimer/                  GET    404    404    404    404    404    404
{occupai.callpage}/propositions/{pk}/supprimer/                  POST   302    302    302    302    302    302
{occupai.occupaiindexpage}/                                      GET    200    200    200    200    200    200
{occupai.occupaiindexpage}/                                      POST   200    200    200    200    200    200
{occupai.occupaiindexpage}/agenda/                               GET    200    200    200    200    200    200
{occupai.occupaiindexpage}/agenda/                               POST   200    200    200    200    200    200
{occupai.occupaiindexpage}/mes-propositions/                     GET    302    200    200    200    200    200
{occupai.occupaiindexpage}/mes-propositions/                     POST   302    200    200    200    200    200
{page_path}agenda.ics                                            GET    200    200    200    200    200    200
{page_path}agenda.ics                                            POST   200    200    200    200    200    200
{page_path}programme.ics                                         GET    200    200    200    200    200    200
{page_path}programme.ics                                         POST   200    200    200    200    200    200
{page_path}programme/{pk}.ics                                    GET    200    200    200    200    200    200
{page_path}programme/{pk}.ics                                    POST   200    200    200    200    200    200
"""


ADMIN_KEPT = {"admin/", "admin/guide-equipes/"}


def _skipped(key):
    return next((reason for prefix, reason in SKIPPED.items() if key.startswith(prefix) and key not in ADMIN_KEPT),
                None)


def required_routes():
    return [r for r in all_routes() if r.app not in PENDING_APPS and not _skipped(r.key)]


def _values(route, data):
    values = {}
    for param in route.params:
        if "." in param:  # a page type: the path of its first live page on the 19e
            path = data.page_path(param)
            if path is None:
                raise LookupError(f"no live {param} page on the 19e: seed one in its app's demo")
            values[param] = path
    fillers = sorted((p for p in FILLERS if route.key.startswith(p)), key=len, reverse=True)
    if fillers:
        values.update(FILLERS[fillers[0]](data))
    missing = [p for p in route.params if p not in values]
    if missing:
        raise LookupError(f"no filler for {', '.join(missing)}: add FILLERS[{route.key!r}]")
    return values


def _seed():
    data = DemoData(seed_demo(skip=PENDING_APPS))
    data.extra.update(extra_objects(data))
    return data


def _url(route, data, problems):
    """The route's URL filled from the demo data, or None (the reason appended to problems)."""
    try:
        return fill(route.key, _values(route, data))
    except LookupError as exc:
        problems.append(f"{route.key}: {exc}")
        return None


def _missing_rows(request, data, in_table, problems):
    """Observed rows for the routes the table forgets (cannot-fill problems are appended)."""
    missing = []
    for route in required_routes():
        if route.key in in_table or (url := _url(route, data, problems)) is None:
            continue
        for method in ("GET", "POST"):
            missing.append(format_row(route.key, method, {role: request(role, method, url) for role in ROLES}))
    return missing


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo, seeded once for the module in a transaction rolled back at its end; each test
    runs in a savepoint of it (and each request in a savepoint of that: Requester)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _seed()
        transaction.set_rollback(True)


@pytest.fixture
def data(demo, db):
    """The module's demo data for one test: what fillers create on the way (kept in `extra`) is
    created again in each test, whose savepoint removes it."""
    return dataclasses.replace(demo, extra=dict(demo.extra))


ROWS = parse_table(TABLE)


def _group(key: str) -> str:
    """The rows are checked in groups (spread over the test processes): by the route's first two
    segments ("api/bureau", "{occupai.callpage}/propositions")."""
    return "/".join(key.split("/")[:2])


GROUPS = sorted({_group(row.key) for row in ROWS})


@pytest.mark.parametrize("group", GROUPS)
def test_every_route_answers_each_role_as_the_table_says(group, data):
    request = Requester(data.users)
    routes = {r.key: r for r in all_routes()}
    problems, wrong, stale = [], [], []
    for row in (row for row in ROWS if _group(row.key) == group):
        route = routes.get(row.key)
        if route is None:
            stale.append(f"{row.key} {row.method}")
            continue
        url = _url(route, data, problems)
        if url is None:
            continue
        got = {role: request(role, row.method, url) for role in ROLES}
        if got != row.expected:
            diff = ", ".join(f"{r} {row.expected[r]}→{got[r]}" for r in ROLES if got[r] != row.expected[r])
            wrong.append(f"{format_row(row.key, row.method, got)}    # was: {diff}  ({url})")
    message = []
    if wrong:
        message += ["Statuses that differ from TABLE (observed row, then what TABLE said):", *wrong, ""]
    if stale:
        message += ["Rows of TABLE whose route no longer exists: " + "; ".join(stale), ""]
    if problems:
        message += ["Routes that cannot be filled:", *problems, ""]
    assert not message, "\n".join(message)


def test_no_route_is_missing_from_the_table(data):
    problems = []
    missing = _missing_rows(Requester(data.users), data, {row.key for row in ROWS}, problems)
    message = []
    if missing:
        message += ["Routes missing from TABLE. Observed statuses below: check each one, then paste "
                    "(delete a GET or POST row the route does not serve):", header(), *missing, ""]
    if problems:
        message += ["Routes that cannot be filled:", *problems, ""]
    assert not message, "\n".join(message)


def test_the_walker_finds_routes_of_every_kind():
    keys = {r.key: r for r in all_routes()}
    assert keys["compte/inscription/"].app == "cms"
    assert keys["api/bureau/projects/{pk}/vote/"].app == "bureau"  # a DRF router route, regex normalised
    assert keys["{bureau.bureauindexpage}/projets/{pk}/modifier/"].kind == "page-route"
    assert keys["{cms.standardpage}/"].kind == "page"
    assert "notifications/" in keys and "api/participation/moderation/hide/" in keys


def test_skips_and_pending_apps_are_few_and_explained():
    assert all(len(reason) > 20 for reason in SKIPPED.values())
    assert not PENDING_APPS & {"cms", "participation", "bureau"}
    required = required_routes()
    assert len(required) > 60
    assert any(r.key == "admin/" for r in required)
