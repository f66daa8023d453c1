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

from tests.conftest import built_once_per_module
from tests.factories.demo import seed_demo

from .fillers import FILLERS, extra_objects
from .matrix import ROLES, DemoData, Requester, fill, format_row, header, parse_table
from .matrix_table import TABLE
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

# The table itself (route, method, one expected status per role) is in matrix_table.py (HTML) and matrix_table_api.py.
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


# The whole demo, seeded once for the module; each test runs in a savepoint of it (and each request in a
# savepoint of that: Requester).
demo = built_once_per_module(lambda: _seed())


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
