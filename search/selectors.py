"""Reads: what a user finds, with the visibility rule applied inside the engine's query."""

import hashlib
import logging
from dataclasses import replace

from django.apps import apps
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cms.cache import remember
from cms.errors import ServiceError

from . import registry
from .backends import EngineUnavailable, get_backend
from .permissions import visibility_filter
from .query import SearchQuery, SearchResults

log = logging.getLogger(__name__)


class SearchUnavailable(ServiceError):
    status_code = 503
    default_code = "search_unavailable"


def _backend_call(method, *args):
    try:
        return method(*args)
    except ServiceError:
        raise
    except Exception as exc:
        # Only the Elasticsearch backend can fail this way (server down, timeout, no index behind
        # the alias); the database backend's errors are bugs and propagate.
        from .backends.elastic import is_transport_error

        if isinstance(exc, EngineUnavailable) or is_transport_error(exc):
            log.warning("search: the search engine did not answer: %s", exc)
            raise SearchUnavailable(_("La recherche est momentanément indisponible. Réessayez dans un moment.")) \
                from exc
        raise


def search_results(*, user, mairie, query: SearchQuery) -> SearchResults:
    """The page of results `user` may see when searching on `mairie`'s site, with facets.

    Everyone who sees the same documents (the same visibility filter) and asks the same query gets
    the same results: they are shared for as long as a cached page (cms.cache.remember). The query
    is made in the active language (its documents, and French for pages not translated into it)."""
    backend, visibility = get_backend(), visibility_filter(user, mairie)
    query = replace(query, language=visibility.language or query.language)
    key = "search:" + hashlib.sha256(repr((type(backend).__name__, query, visibility)).encode()).hexdigest()
    results = remember(key, lambda: _backend_call(backend.search, query, visibility))
    labels = type_labels()
    for hit in results.hits:
        hit.type_label = labels.get(hit.type, hit.type)
    return results


def search_suggestions(*, user, mairie, text: str, limit: int = 8) -> list[dict]:
    """Titles matching what is being typed (each word as a prefix), visible to `user`."""
    suggestions = _backend_call(get_backend().suggest, text, visibility_filter(user, mairie), limit)
    labels = type_labels()
    for suggestion in suggestions:
        suggestion["type_label"] = labels.get(suggestion["type"], suggestion["type"])
    return suggestions


def search_type_counts(*, user, mairie) -> dict[str, int]:
    """How many documents of each type `user` may find on `mairie`'s site."""
    return _backend_call(get_backend().type_counts, visibility_filter(user, mairie))


_labels_cache: dict = {}


def type_labels() -> dict[str, str]:
    """{type: its label in the active language}, computed once per language and set of adapters."""
    adapters = registry.adapters()
    key = (get_language(), tuple(adapters))
    if key not in _labels_cache:
        _labels_cache[key] = {k: str(adapter.label or k) for k, adapter in adapters.items()}
    return _labels_cache[key]


def status_label(code: str) -> str:
    for adapter in registry.adapters().values():
        label = (adapter.status_labels or {}).get(code)
        if label:
            return str(label)
    return code


def quartier_labels(codes, mairie) -> dict[str, str]:
    """Adapters give a quartier's slug or its name; show names when the engine knows the slug."""
    codes = [c for c in codes if c]
    if not codes or mairie is None or not apps.is_installed("participation"):
        return {c: c for c in codes}
    quartier = apps.get_model("participation", "Quartier")
    names = dict(quartier.objects.filter(mairie=mairie, slug__in=codes).values_list("slug", "name"))
    return {c: names.get(c, c) for c in codes}
