"""Search backends behind one interface, chosen by settings.SEARCH_BACKEND.

- "database": the embedded default, SQLite FTS5 or PostgreSQL tsvector (backends/database.py);
- "elasticsearch": an Elasticsearch cluster at ELASTICSEARCH_URL (backends/elastic.py).
"""

from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured

from ..conf import backend_name
from ..documents import SearchDocument
from ..permissions import VisibilityFilter
from ..query import SearchQuery, SearchResults


class SearchBackend:
    name = ""

    def index(self, documents: list[SearchDocument]) -> None:
        """Add or replace these documents."""
        raise NotImplementedError

    def remove(self, doc_ids: list[str]) -> None:
        raise NotImplementedError

    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        """Replace the whole index with these documents; readers never see a half-built index."""
        raise NotImplementedError

    def search(self, query: SearchQuery, visibility: VisibilityFilter) -> SearchResults:
        raise NotImplementedError

    def suggest(self, text: str, visibility: VisibilityFilter, limit: int = 8) -> list[dict]:
        """Titles starting with what is being typed: [{"title", "url", "type"}]."""
        raise NotImplementedError

    def type_counts(self, visibility: VisibilityFilter) -> dict[str, int]:
        """How many documents of each type the user may see (the search page's start)."""
        raise NotImplementedError

    def doc_ids(self) -> set[str]:
        """Every indexed document id (checks and tests)."""
        raise NotImplementedError


def get_backend(name=None) -> SearchBackend:
    name = name or backend_name()
    if name == "database":
        from .database import DatabaseBackend

        return DatabaseBackend()
    if name == "elasticsearch":
        from .elastic import ElasticsearchBackend

        return ElasticsearchBackend()
    raise ImproperlyConfigured(f"Unknown SEARCH_BACKEND {name!r}: use 'database' or 'elasticsearch'.")
