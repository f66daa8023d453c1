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
    return [query["sql"] for query in ctx.captured_queries], response


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
        print(f"queries: {url} {len(few)} (5 items) {len(lots)} (100 items)")  # shown with pytest -s
        assert len(few) == len(lots), (f"{url}: {len(few)} queries with 5 items, {len(lots)} with 100 (an N+1); "
                                       "the queries that differ:\n" + "\n".join(_difference(few, lots)))
        assert len(lots) <= budget, f"{url}: {len(lots)} queries, budget {budget}"
    return [(b[1], a[1]) for b, a in zip(before, after, strict=True)]


def _difference(few, lots):
    """The queries of one run that the other has not (numbers and quoted values masked)."""
    import collections
    import re

    def shapes(queries):
        return collections.Counter(re.sub(r"'[^']*'|\b\d+\b", "?", sql) for sql in queries)

    missing, extra = shapes(few) - shapes(lots), shapes(lots) - shapes(few)
    return [f"- {sql[:300]}" for sql in missing.elements()] + [f"+ {sql[:300]}" for sql in extra.elements()]
