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


class EngineUnavailable(Exception):
    """The engine cannot answer now: unreachable, timing out, or its index is missing. Reads answer
    503 (search.selectors); a sync that meets it is recorded and retried (search.services)."""


class SyncError(Exception):
    """The engine refused some of the documents of a sync: the sync is retried."""


class SearchBackend:
    name = ""

    # Writes carry a version (search/versions.py: the time of the read they come from, None: now).
    # A document already written with a higher version is left as it is: two syncs of one object
    # land in the order of their reads, and a removal is not undone by an older index arriving late.

    def index(self, documents: list[SearchDocument], *, also=(), live=True, version=None):
        """Add or replace these documents in the live index (`live`) and in the indices being built
        (`also`: rebuild targets, see rebuild_begin)."""
        raise NotImplementedError

    def remove(self, doc_ids: list[str], *, also=(), live=True, version=None):
        raise NotImplementedError

    # A rebuild, in steps that search.rebuild drives (so that writes made meanwhile are replayed):
    def rebuild_begin(self) -> str:
        """Prepare a new index (removing what an interrupted rebuild left); its name, the target."""
        raise NotImplementedError

    def rebuild_load(self, target: str, documents: list[SearchDocument], *, version: int) -> int:
        """Load one batch of documents into the target, with the rebuild's version (taken before
        it read anything): a document a sync wrote there from a later read is left as it is."""
        raise NotImplementedError

    def rebuild_loaded(self, target: str) -> None:
        """Every document is loaded; syncs of the journal are replayed next."""

    def rebuild_finish(self, target: str, *, started_at, version: int) -> None:
        """Make the target the live index, in one step; nothing older than `started_at` (of a lower
        version than the rebuild's) survives."""
        raise NotImplementedError

    def rebuild_discard(self, target: str) -> None:
        """A rebuild failed: drop its target; the live index stays as it was."""

    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        """Replace the whole index with these documents (no sync journal: search.rebuild for that)."""
        from django.utils import timezone

        from ..versions import now

        started_at, version, total, target, batch = timezone.now(), now(), 0, self.rebuild_begin(), []
        for doc in documents:
            batch.append(doc)
            if len(batch) >= self.rebuild_batch:
                total += self.rebuild_load(target, batch, version=version)
                batch = []
        total += self.rebuild_load(target, batch, version=version)
        self.rebuild_loaded(target)
        self.rebuild_finish(target, started_at=started_at, version=version)
        return total

    rebuild_batch = 500

    def search(self, query: SearchQuery, visibility: VisibilityFilter) -> SearchResults:
        raise NotImplementedError

    def suggest(self, text: str, visibility: VisibilityFilter, limit: int = 8) -> list[dict]:
        """Titles starting with what is being typed: [{"title", "url", "type"}]."""
        raise NotImplementedError

    def type_counts(self, visibility: VisibilityFilter) -> dict[str, int]:
        """How many documents of each type the user may see (the search page's start)."""
        raise NotImplementedError

    def doc_ids(self) -> set[str]:
        """Every indexed document id (reconcile, checks and tests)."""
        raise NotImplementedError

    def stored(self, doc_ids: list[str]) -> dict[str, dict]:
        """{doc id: what the index holds of it} for `comparable()`'s fields (reconcile's sample)."""
        raise NotImplementedError

    def comparable(self, doc: SearchDocument) -> dict:
        """The fields of `doc` as this backend stores them, to compare with `stored()`."""
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
