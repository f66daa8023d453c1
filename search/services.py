"""Writes to the search index. Apps never call these: the search app's signal handlers and tasks do
(search/sync.py), and the management commands (rebuild_search_index, search_replay_failed,
search_reconcile).

A sync is never dropped silently: `sync_attempt` (the task's body) records what failed
(SyncFailure) and retries it with backoff, through a deferred task when the task backend can defer
(django-tasks-db), otherwise through `search_replay_failed`, which the scheduler runs every 5
minutes. While a rebuild runs, every sync also notes its objects in the rebuild's journal and
writes into the index being built (search/rebuild.py)."""

import logging
from collections import Counter
from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from . import rebuild as rebuilds
from . import registry, versions
from .backends import get_backend
from .conf import sync_max_attempts
from .documents import AUDIENCES, SearchDocument
from .models import SyncFailure

log = logging.getLogger(__name__)
CHUNK = 200
RETRY_FIRST_SECONDS = 30
RETRY_MAX_SECONDS = 3600
# A failure whose retry went to the task queue is left to it for this long past its time; then the
# replay job takes it (a task lost with its worker).
REPLAY_GRACE = timedelta(minutes=5)


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
        doc = adapter.document(obj)
    except Exception:  # one broken object must not stop the others from being indexed
        log.exception("search: %s could not build the document of %r", adapter.type, obj)
        return None
    if doc is not None and getattr(obj, "locale_id", None) is not None and getattr(obj, "translation_key", None):
        from cms.i18n import locale_code

        doc.language, doc.translation_key = locale_code(obj.locale_id), str(obj.translation_key)
        if getattr(get_backend(), "needs_translated_into", False):
            siblings = type(obj)._default_manager.filter(translation_key=obj.translation_key).exclude(pk=obj.pk)
            if hasattr(siblings, "live"):
                siblings = siblings.live()
            doc.translated_into = sorted({locale_code(pk) for pk in siblings.values_list("locale_id", flat=True)})
    return doc


def _doc_id(adapter, model, pk):
    obj = model._default_manager.filter(pk=pk).first() or model(pk=pk)
    return adapter.document_id(obj)


def _adapter(model_label):
    try:
        model = apps.get_model(model_label)
    except LookupError:  # an app removed since: nothing of it to sync
        return None, None
    return model, registry.adapter_for_model(model)


def objects_write(*, model_label: str, pks, doc_ids=None, also=(), live=True) -> int:
    """Read these objects again and write what they are now: their documents, or their removal
    (unpublished, hidden, deleted), into the live index and the rebuild targets `also`. The writes
    carry the version taken just before the read (search/versions.py): if another sync of the same
    objects read them later and wrote first, its documents stay."""
    model, adapter = _adapter(model_label)
    if adapter is None:
        return 0
    pks = list(pks)
    version = versions.now()
    found = {str(obj.pk): obj for obj in adapter.queryset().filter(pk__in=pks)}
    docs, gone = [], []
    for pk in pks:
        obj = found.get(str(pk))
        doc = _document_or_none(adapter, obj) if obj is not None else None
        if doc is not None and _valid(doc):
            docs.append(doc)
        else:
            gone.append(adapter.document_id(obj) if obj is not None
                        else (doc_ids or {}).get(str(pk)) or _doc_id(adapter, model, pk))
    backend = get_backend()
    if gone:
        backend.remove(gone, also=also, live=live, version=version)
    if docs:
        backend.index(docs, also=also, live=live, version=version)
    return len(docs)


def objects_sync(*, model_label: str, pks, doc_ids=None) -> int:
    """Bring the documents of these objects in line with the database. While a rebuild runs, they
    are noted in its journal first (before they are read), then written into both indices."""
    pks, doc_ids = list(pks), doc_ids or {}
    running = rebuilds.journal_sync(model_label=model_label, pks=pks, doc_ids=doc_ids)
    also = [running.target] if running is not None and running.target else []
    count = objects_write(model_label=model_label, pks=pks, doc_ids=doc_ids, also=also)
    SyncFailure.objects.filter(model_label=model_label, object_pk__in=[str(pk) for pk in pks]).delete()
    return count


def retry_delay(attempt: int) -> timedelta:
    """30 s after the first failure, then doubling, at most an hour."""
    return timedelta(seconds=min(RETRY_FIRST_SECONDS * 2 ** max(attempt - 1, 0), RETRY_MAX_SECONDS))


def sync_attempt(*, model_label: str, pks, doc_ids=None, attempt: int = 1) -> int:
    """The sync task's body: a sync that fails (engine down, timeout, database locked, a bug) is
    recorded and retried, never lost; the objects are read again at each attempt."""
    try:
        return objects_sync(model_label=model_label, pks=pks, doc_ids=doc_ids)
    except Exception as exc:
        log.warning("search: sync of %s %s failed (attempt %d)", model_label, list(pks)[:20], attempt,
                    exc_info=True)
        sync_failed(model_label=model_label, pks=pks, doc_ids=doc_ids or {}, attempt=attempt, error=exc)
        return 0


def sync_failed(*, model_label: str, pks, doc_ids: dict, attempt: int, error: Exception) -> None:
    """Record the failure of `attempt`, and queue the next one when the task backend can defer."""
    from .tasks import sync_objects

    now = timezone.now()
    run_after = now + retry_delay(attempt)
    deferred = attempt < sync_max_attempts() and sync_objects.get_backend().supports_defer
    message = f"{type(error).__name__}: {error}"[:500]
    rows = [SyncFailure(model_label=model_label, object_pk=str(pk)[:64], doc_id=(doc_ids.get(str(pk)) or "")[:160],
                        attempts=attempt, error=message, first_failed_at=now, last_failed_at=now,
                        next_attempt_at=run_after + REPLAY_GRACE if deferred else run_after) for pk in pks]
    with transaction.atomic():
        SyncFailure.objects.bulk_create(rows, update_conflicts=True, unique_fields=["model_label", "object_pk"],
                                        update_fields=["doc_id", "attempts", "error", "last_failed_at",
                                                       "next_attempt_at"])
    if deferred:
        sync_objects.using(run_after=run_after).enqueue(model_label, list(pks), doc_ids, attempt + 1)


def failures_replay(*, due_only=True) -> dict:
    """Retry the recorded failures (those due, or all): {"objects": n, "recovered": k, "failing": m}."""
    failures = SyncFailure.objects.order_by("model_label", "id")
    if due_only:
        failures = failures.filter(next_attempt_at__lte=timezone.now())
    groups: dict[str, list] = {}
    for failure in failures:
        groups.setdefault(failure.model_label, []).append(failure)
    tried = 0
    for label, rows in groups.items():
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            tried += len(chunk)
            sync_attempt(model_label=label, pks=[row.object_pk for row in chunk],
                         doc_ids={row.object_pk: row.doc_id for row in chunk if row.doc_id},
                         attempt=max(row.attempts for row in chunk) + 1)
    failing = SyncFailure.objects.filter(pk__in=[row.pk for rows in groups.values() for row in rows]).count()
    return {"objects": tried, "recovered": tried - failing, "failing": failing}


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


def index_rebuild(*, source=None, progress=None) -> Counter:
    """Replace the whole index with the documents of every registered adapter; returns the counts
    per type. Readers keep the old index until the new one is complete, and writes made meanwhile
    are kept (search/rebuild.py). `source(counts)`: the documents (all_documents by default)."""
    return rebuilds.index_rebuild(source=source or all_documents, progress=progress)
