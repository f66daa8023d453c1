"""Authorisation before validation: every write operation of the API (found by walking the
OpenAPI schema, never listed by hand) is sent an empty body and an invalid body, anonymously and
as a resident of the 19e. Anonymous: 401 or 403. A resident, on an operation that is not open to
residents: 403, never a 400 that would list the fields a valid request needs.

RESIDENT_WRITES is the short table of writes open to residents (support, comment, propose...);
test_the_resident_table_agrees_with_the_permission_matrix ties it to the permission matrix, so
that the two tables cannot drift apart.
"""

import json
import re

from django.core.cache import cache
from django.db import transaction
from django.test import Client

from .matrix import HOST, ROLES, Requester, parse_table
from .pending import PENDING_APPS
from .routes import all_routes
from .test_permission_matrix import TABLE, _seed, _url

WRITE_METHODS = ("post", "put", "patch", "delete")
# Open to everyone by design: how a client logs in; a waiting ticket taken online or at the kiosk
# without an account, and cancelled by whoever holds its private link (the token is the authorisation);
# a co-working desk booked and cancelled, and the invitation erased, by an invitee through their invitation's
# private key (no account).
PUBLIC_WRITES = {("POST", "/api/auth/token/"),
                 ("POST", "/api/accueil/tickets/"), ("POST", "/api/accueil/tickets/{token}/cancel/"),
                 ("POST", "/api/accueil/coworking/invitations/{key}/bookings/"),
                 ("POST", "/api/accueil/coworking/invitations/{key}/bookings/{id}/cancel/"),
                 ("POST", "/api/accueil/coworking/invitations/{key}/forget/")}
# Writes a resident may attempt (the service then says yes or no for this object and moment).
RESIDENT_WRITES = {
    ("POST", "/api/participation/comments/"),
    ("POST", "/api/participation/follows/"), ("DELETE", "/api/participation/follows/"),
    ("POST", "/api/participation/reports/"),
    ("POST", "/api/participation/notifications/read/"), ("PUT", "/api/participation/notification-preferences/"),
    ("POST", "/api/bureau/projects/"), ("PATCH", "/api/bureau/projects/{id}/"),
    ("POST", "/api/bureau/projects/{id}/submit/"),
    ("POST", "/api/bureau/projects/{id}/updates/"),
    ("POST", "/api/bureau/projects/{id}/vote/"), ("DELETE", "/api/bureau/projects/{id}/vote/"),
    ("POST", "/api/commandements/amendments/"), ("POST", "/api/commandements/amendments/{id}/withdraw/"),
    ("POST", "/api/commandements/amendments/{id}/vote/"), ("DELETE", "/api/commandements/amendments/{id}/vote/"),
    ("POST", "/api/commandements/signature/"), ("DELETE", "/api/commandements/signature/"),
    ("POST", "/api/hackathon/complaints/"),
    ("POST", "/api/hackathon/issues/{id}/vote/"), ("DELETE", "/api/hackathon/issues/{id}/vote/"),
    ("POST", "/api/hackathon/sessions/{id}/registration/"), ("DELETE", "/api/hackathon/sessions/{id}/registration/"),
    ("POST", "/api/occupai/proposals/"), ("PUT", "/api/occupai/proposals/{id}/"),
    ("PATCH", "/api/occupai/proposals/{id}/"), ("DELETE", "/api/occupai/proposals/{id}/"),
    ("POST", "/api/occupai/proposals/{id}/submit/"),
    ("POST", "/api/occupai/proposals/{id}/vote/"), ("DELETE", "/api/occupai/proposals/{id}/vote/"),
    ("POST", "/api/carnets/"), ("DELETE", "/api/carnets/{id}/"), ("POST", "/api/carnets/{id}/items/{item_id}/"),
    ("POST", "/api/carnets/{id}/share/"), ("POST", "/api/carnets/{id}/shares/{share_id}/revoke/"),
    ("POST", "/api/carnets/{id}/close/"), ("POST", "/api/carnets/claim/"),
    ("POST", "/api/carnets/{id}/items/{item_id}/document/"), ("DELETE", "/api/carnets/{id}/items/{item_id}/document/"),
    ("POST", "/api/accueil/ambassadors/"), ("POST", "/api/accueil/help-requests/"),
    *(("POST", f"/api/accueil/help-requests/{{id}}/{action}/") for action in ("acts", "close", "consents", "contact",
                                                                            "messages")),
}


def _schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def write_operations():
    """(METHOD, schema path, operation) for every write the schema documents."""
    for path, item in sorted(_schema()["paths"].items()):
        if any(path.startswith(f"/api/{app}/") for app in PENDING_APPS):
            continue
        for method, operation in item.items():
            if method in WRITE_METHODS:
                yield method.upper(), path, operation


def route_key(path):
    """"/api/hackathon/draws/{id}/run/" -> the resolver's key "api/hackathon/draws/{pk}/run/"."""
    return re.sub(r"\{id\}", "{pk}", path.lstrip("/"))


def invalid_body(schema, operation):
    """Every documented field given a value no field accepts (an object), or one stray field."""
    content = (operation.get("requestBody") or {}).get("content", {})
    ref = next(iter(content.values()), {}).get("schema", {}).get("$ref", "")
    component = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}) if ref else {}
    fields = component.get("properties") or {"unexpected": None}
    return {name: {"not": ["valid"]} for name in fields}


class JsonRequester:
    """The matrix's logged-in sessions, sending a JSON body; each request rolled back."""

    def __init__(self, users):
        self.sessions = Requester(users).sessions
        self.client = Client(HTTP_HOST=HOST, raise_request_exception=False)

    def __call__(self, role, method, url, body):
        from http.cookies import SimpleCookie

        from django.conf import settings

        self.client.cookies = SimpleCookie()
        if self.sessions[role]:
            self.client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        cache.clear()
        savepoint = transaction.savepoint()
        try:
            response = self.client.generic(method, url, json.dumps(body), content_type="application/json")
            return response.status_code, response.content[:300]
        finally:
            transaction.savepoint_rollback(savepoint)


def test_no_role_gets_past_the_door_of_a_write_it_may_not_do_whatever_it_sends(db):
    data = _seed()
    request = JsonRequester(data.users)
    routes = {r.key: r for r in all_routes()}
    schema = _schema()
    operations = list(write_operations())
    assert len(operations) >= 40, [f"{m} {p}" for m, p, _op in operations]
    problems, wrong = [], []
    for method, path, operation in operations:
        if (method, path) in PUBLIC_WRITES:
            continue
        route = routes.get(route_key(path))
        if route is None:
            problems.append(f"{method} {path}: no URL pattern for {route_key(path)}")
            continue
        if (url := _url(route, data, problems)) is None:
            continue
        for label, body in (("empty", {}), ("invalid", invalid_body(schema, operation))):
            status, content = request("anon", method, url, body)
            if status not in (401, 403):
                wrong.append(f"{method} {path} anonymous, {label} body: {status} {content!r}")
            if (method, path) in RESIDENT_WRITES:
                continue
            status, content = request("r19", method, url, body)
            if status != 403:
                wrong.append(f"{method} {path} resident, {label} body: {status} {content!r}")
    stale = sorted(RESIDENT_WRITES - {(m, p) for m, p, _op in operations})
    assert not (problems or wrong or stale), "\n".join(
        problems + wrong + [f"RESIDENT_WRITES names an operation the schema lacks: {s}" for s in stale])


def test_the_resident_table_agrees_with_the_permission_matrix():
    """A write outside RESIDENT_WRITES is refused to residents in the matrix too (401/403/404/405
    on an empty body): a 400 there would mean the body was read before the role."""
    resident = ROLES.index("r19")
    assert resident == 1
    documented = {(m, route_key(p)): p for m, p, _op in write_operations()}
    disagreements = []
    for row in parse_table(TABLE):
        path = documented.get((row.method, row.key))
        if path is None or (row.method, path) in PUBLIC_WRITES | RESIDENT_WRITES:
            continue
        if row.expected["r19"] not in (401, 403, 404, 405):
            disagreements.append(f"{row.method} {path}: r19 gets {row.expected['r19']} in the matrix")
    assert not disagreements, "\n".join(disagreements)
