"""Search documents for tests: indexed directly through the search app's index API."""

from datetime import UTC, datetime

from search.documents import PUBLIC, SearchDocument

_counter = {"n": 0}


def search_doc(title, body="", *, mairie="paris19", audience=PUBLIC, type="cms.standardpage", key=None,
               tags=(), quartier=None, status="", date=None, url=None):
    _counter["n"] += 1
    key = key or f"t{_counter['n']}"
    return SearchDocument(
        type=type, id=f"{type}:{key}", mairie=mairie, audience=audience, title=title, body=body,
        url=url or f"/test/{key}/", tags=list(tags), quartier=quartier, status=status,
        date=date or datetime(2026, 1, 1, 12, 0, tzinfo=UTC),
    )
