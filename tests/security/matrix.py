"""Machinery of the permission matrix (test_permission_matrix.py): the roles, the demo data that
fills path parameters, one isolated request per (route, method, role), and the table format.

Each request runs in a savepoint rolled back right after it, with a fresh cache and a fresh
client: every request sees the same seeded state, so the table does not depend on its order.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client

ROLES = ("anon", "r19", "r20", "agent", "editor", "orga")
# Demo accounts (cms.demo.ACCOUNTS) playing each role; the 19e answers every request.
ROLE_USERS = {"r19": "habitant", "r20": "habitant20", "agent": "agent", "editor": "editeur", "orga": "organisateur"}
HOST = "paris19.localhost"
METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")


@dataclass
class Row:
    key: str
    method: str
    expected: dict  # role -> status


def parse_table(text: str) -> list[Row]:
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2 + len(ROLES) or parts[1] not in METHODS:
            raise ValueError(f"table line {number}: expected '<route> <METHOD> {' '.join(ROLES)}', got {line!r}")
        rows.append(Row(parts[0], parts[1], dict(zip(ROLES, map(int, parts[2:]), strict=True))))
    return rows


def format_row(key, method, statuses: dict) -> str:
    cells = " ".join(f"{statuses[role]:<6}" for role in ROLES)
    return f"{key:<64} {method:<6} {cells}".rstrip()


def header() -> str:
    return format_row("# route", "method", {role: role for role in ROLES})


@dataclass
class DemoData:
    """What fillers see: the demo context, the two mairies, the demo users, and helpers."""

    ctx: object
    extra: dict = field(default_factory=dict)

    @property
    def m19(self):
        return self.ctx.mairies["paris19"]

    @property
    def m20(self):
        return self.ctx.mairies["paris20"]

    @property
    def users(self):
        return self.ctx.users

    def page_path(self, label: str) -> str | None:
        """Path of the first live page of this type on the 19e site ('' for its home), or None."""
        from django.apps import apps

        model = apps.get_model(label)
        home = self.ctx.homes["paris19"]
        page = model.objects.live().filter(path__startswith=home.path).order_by("path").first()
        if page is None:
            return None
        return page.get_url_parts()[2].strip("/")


def fill(key: str, values: dict) -> str:
    """The URL of `key` with its {params} replaced; values may carry a "_query" string."""
    path = re.sub(r"\{([\w.]+)\}", lambda m: str(values[m.group(1)]), key)
    url = "/" + path.lstrip("/")
    url = re.sub(r"/{2,}", "/", url)
    return url + (("?" + values["_query"]) if values.get("_query") else "")


class Requester:
    """One isolated request per call, as a given role. Clients are reused (building one loads the
    middleware, WhiteNoise's file scan included); their cookies are reset before each request."""

    def __init__(self, users: dict):
        from http.cookies import SimpleCookie

        self._cookie_jar = SimpleCookie
        self.sessions = {"anon": None}
        for role, username in ROLE_USERS.items():
            client = Client(HTTP_HOST=HOST)
            client.force_login(users[username])
            self.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.client = Client(HTTP_HOST=HOST, raise_request_exception=False)

    def __call__(self, role: str, method: str, url: str) -> int:
        client = self.client
        client.cookies = self._cookie_jar()
        if self.sessions[role]:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        _forget_rate_limits()
        savepoint = transaction.savepoint()
        try:
            if method == "GET":
                response = client.get(url)
            elif method == "POST":
                response = client.post(url, {})
            else:
                response = client.generic(method, url, "", content_type="application/json")
            return response.status_code
        finally:
            transaction.savepoint_rollback(savepoint)


def _forget_rate_limits():
    """Rate limits and throttles start afresh for every request: the platform's counters
    (cms.ratelimit, "rl:") and DRF's ("throttle_"), deleted from the test settings' local-memory
    cache. What else it holds stays, as between two requests of real visitors (the mairie
    directory, the sections' URLs: kept under versions that every page write renews)."""
    with cache._lock:
        for key in [key for key in cache._cache if ":rl:" in key or ":throttle_" in key]:
            cache._delete(key)
