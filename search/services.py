"""Writes to the search index. Apps never call these: the search app's signal handlers and tasks do
(search/sync.py), and `manage.py rebuild_search_index` rebuilds everything."""

import logging
from collections import Counter

from django.apps import apps

from . import registry
from .backends import get_backend
from .documents import AUDIENCES, SearchDocument

log = logging.getLogger(__name__)


def _valid(doc: SearchDocument) -> bool:
    if doc.audience not in AUDIENCES or not doc.id or not doc.type or not doc.url:
        log.error("search: invalid document %r skipped (audience, id, type and url are required)", doc.id)
        return False
    return True


def document_index(*, documents) -> int:
    """Add or replace documents (a rebuild is not needed for this)."""
    docs = [doc for doc in documents if _valid(doc)]
    if docs:
        get_backend().index(docs)
    return len(docs)


def document_remove(*, doc_ids) -> None:
    doc_ids = [doc_id for doc_id in doc_ids if doc_id]
    if doc_ids:
        get_backend().remove(doc_ids)


def _document_or_none(adapter, obj):
    try:
        return adapter.document(obj)
    except Exception:  # one broken object must not stop the others from being indexed
        log.exception("search: %s could not build the document of %r", adapter.type, obj)
        return None


def _doc_id(adapter, model, pk):
    obj = model._default_manager.filter(pk=pk).first() or model(pk=pk)
    return adapter.document_id(obj)


def objects_sync(*, model_label: str, pks, doc_ids=None) -> int:
    """Bring the documents of these objects in line with the database: index what the adapter
    returns a document for, remove the rest (unpublished, hidden, deleted)."""
    model = apps.get_model(model_label)
    adapter = registry.adapter_for_model(model)
    if adapter is None:
        return 0
    pks = list(pks)
    found = {str(obj.pk): obj for obj in adapter.queryset().filter(pk__in=pks)}
    docs, gone = [], []
    for pk in pks:
        obj = found.get(str(pk))
        doc = _document_or_none(adapter, obj) if obj is not None else None
        if doc is not None:
            docs.append(doc)
        else:
            gone.append(adapter.document_id(obj) if obj is not None
                        else (doc_ids or {}).get(str(pk)) or _doc_id(adapter, model, pk))
    document_remove(doc_ids=gone)
    return document_index(documents=docs)


def time_dependent_sync() -> Counter:
    """Re-read every object of the time-dependent adapters: index or remove each document."""
    counts = Counter()
    for key, adapter in registry.adapters().items():
        if not adapter.time_dependent:
            continue
        pks = list(adapter.queryset().values_list("pk", flat=True))
        for start in range(0, len(pks), 500):
            counts[key] += objects_sync(model_label=adapter.model._meta.label, pks=pks[start:start + 500])
    return counts


def all_documents(counts: Counter | None = None):
    """Every document the registered adapters produce, adapter by adapter."""
    for adapter in registry.adapters().values():
        queryset = adapter.queryset()
        objects = queryset.iterator(chunk_size=500) if hasattr(queryset, "iterator") else queryset
        for obj in objects:
            doc = _document_or_none(adapter, obj)
            if doc is not None and _valid(doc):
                if counts is not None:
                    counts[doc.type] += 1
                yield doc


def index_rebuild() -> Counter:
    """Replace the whole index with the documents of every registered adapter; returns the counts
    per type. Readers keep the old index until the new one is complete."""
    counts = Counter()
    get_backend().rebuild(all_documents(counts))
    return counts
