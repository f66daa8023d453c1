"""The query-budget helpers: the same request measured with 5 items, then after the data grew to
100, must run the same number of queries (no N+1), under a fixed budget. The page cache is off in
the test settings: these are the real renders."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

PAGE_BUDGET = 45  # an HTML page, logged in (Wagtail's user bar for staff included)
API_BUDGET = 15


def count_queries(client, url, status=200, **extra):
    client.get(url, **extra)  # warm-up: per-process caches (content types, sites) filled once
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == status, (url, response.status_code)
    return len(ctx.captured_queries), response


def assert_flat(client, url, grow, budget, **extra):
    """Queries at 5 items == queries at 100 items <= budget; returns both responses."""
    [(first, second)] = assert_all_flat([(client, url, budget)], grow, **extra)
    return first, second


def assert_all_flat(requests, grow, **extra):
    """assert_flat for several (client, url, budget) measured on the same data."""
    before = [count_queries(client, url, **extra) for client, url, _budget in requests]
    grow()
    after = [count_queries(client, url, **extra) for client, url, _budget in requests]
    for (_client, url, budget), (few, _r1), (lots, _r2) in zip(requests, before, after, strict=True):
        print(f"queries: {url} {few} (5 items) {lots} (100 items)")  # shown with pytest -s
        assert few == lots, f"{url}: {few} queries with 5 items, {lots} with 100 (an N+1)"
        assert lots <= budget, f"{url}: {lots} queries, budget {budget}"
    return [(b[1], a[1]) for b, a in zip(before, after, strict=True)]
