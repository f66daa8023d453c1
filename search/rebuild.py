"""Rebuilding the index while the platform runs, without losing a write.

A rebuild reads every object and loads its document into a target: a new index on Elasticsearch
(the alias moves to it at the end, in one call), the live tables on the database backend (batch by
batch, in place). A write made meanwhile could be lost two ways: its sync goes only to the old index
(then the alias moves away from it), or the bulk load, holding a copy read before the write, writes
that older copy after the sync (an edit undone, a deleted document back). So, while a rebuild runs
(an IndexRebuild row, one at a time):

1. every sync notes its objects in the rebuild's journal before it reads them, then writes into the
   live index and into the target (`objects_sync`);
2. once everything is loaded, the rebuild replays the journal into the target: each noted object is
   read again and written as it is now, round after round until a round finds nothing new (at most
   REPLAY_ROUNDS: past that, the syncs' own writes into the target keep it current);
3. the target goes live (the alias swap; on the database, the rows the rebuild did not write, those
   of a lower version than the rebuild's, are deleted).

Every write is versioned (search/versions.py): the bulk load carries the version taken before the
rebuild read anything, so it never overwrites a sync of a later read, nor (through tombstones) brings
back a document removed by one; the journal's replay is still what guarantees the new index holds
every write made during the rebuild (Elasticsearch forgets a removal's version after gc_deletes).

A rebuild that fails drops its target and leaves the live index as it was. One whose process died
(no heartbeat for STALE) is abandoned by the next rebuild, which also removes its partial index.
"""

import logging
from collections import Counter
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.errors import Conflict

from . import versions
from .backends import get_backend
from .models import IndexRebuild, RebuildJournal

log = logging.getLogger(__name__)
STALE = timedelta(minutes=10)
REPLAY_ROUNDS = 5
REPLAY_CHUNK = 200
KEEP_HISTORY = timedelta(days=30)


class RebuildRunning(Conflict):
    default_code = "rebuild_running"


def running() -> IndexRebuild | None:
    """The rebuild in progress, if its heartbeat is recent."""
    return (IndexRebuild.objects.filter(state=IndexRebuild.RUNNING, heartbeat_at__gte=timezone.now() - STALE)
            .only("id", "target").first())


def journal_sync(*, model_label: str, pks, doc_ids: dict) -> IndexRebuild | None:
    """Called by every sync before it reads its objects: while a rebuild runs, note them in its
    journal (committed at once, so that the rebuild's replay sees them). Returns that rebuild."""
    rebuild = running()
    if rebuild is not None:
        RebuildJournal.objects.bulk_create([
            RebuildJournal(rebuild=rebuild, model_label=model_label, object_pk=str(pk)[:64],
                           doc_id=(doc_ids.get(str(pk)) or "")[:160]) for pk in pks])
    return rebuild


def _start(backend) -> IndexRebuild:
    now = timezone.now()
    abandoned = IndexRebuild.objects.filter(state=IndexRebuild.RUNNING, heartbeat_at__lt=now - STALE)
    for old in abandoned:
        log.warning("search: rebuild %s stopped without finishing (last heartbeat %s): abandoned", old.pk,
                    old.heartbeat_at)
    abandoned.update(state=IndexRebuild.ABANDONED, finished_at=now)
    RebuildJournal.objects.exclude(rebuild__state=IndexRebuild.RUNNING).delete()
    IndexRebuild.objects.filter(finished_at__lt=now - KEEP_HISTORY).delete()
    try:
        with transaction.atomic():
            return IndexRebuild.objects.create(backend=backend.name, started_at=now, heartbeat_at=now)
    except IntegrityError:
        raise RebuildRunning(_("Une reconstruction de l'index de recherche est déjà en cours.")) from None


def _heartbeat(rebuild, documents):
    """Still ours? A rebuild whose heartbeat stopped long enough was abandoned by a newer one."""
    alive = IndexRebuild.objects.filter(pk=rebuild.pk, state=IndexRebuild.RUNNING).update(
        heartbeat_at=timezone.now(), documents=documents)
    if not alive:
        raise RebuildRunning(_("Cette reconstruction a été abandonnée : une autre l'a remplacée."))


def _end(rebuild, state, documents=None):
    changes = {"state": state, "finished_at": timezone.now()}
    if documents is not None:
        changes["documents"] = documents
    IndexRebuild.objects.filter(pk=rebuild.pk, state=IndexRebuild.RUNNING).update(**changes)
    RebuildJournal.objects.filter(rebuild=rebuild).delete()


def _replay(rebuild, backend, target, loaded) -> int:
    """Write every object of the journal into the target as it is now, round after round."""
    from . import services

    last, replayed = 0, 0
    for _round in range(REPLAY_ROUNDS):
        entries = list(RebuildJournal.objects.filter(rebuild=rebuild, id__gt=last).order_by("id")
                       .values_list("id", "model_label", "object_pk", "doc_id"))
        if not entries:
            break
        last = entries[-1][0]
        groups: dict[str, dict] = {}
        for _id, label, pk, doc_id in entries:
            objects = groups.setdefault(label, {})
            objects[pk] = doc_id or objects.get(pk) or ""
        for label, objects in groups.items():
            items = list(objects.items())
            for start in range(0, len(items), REPLAY_CHUNK):
                chunk = items[start:start + REPLAY_CHUNK]
                services.objects_write(model_label=label, pks=[pk for pk, _d in chunk],
                                       doc_ids={pk: d for pk, d in chunk if d}, also=[target], live=False)
                replayed += len(chunk)
        _heartbeat(rebuild, loaded)
    return replayed


def index_rebuild(*, source, progress=None) -> Counter:
    """Rebuild the whole index from `source(counts)` (every document); returns the counts per type.
    `progress(loaded)` is called after each batch. Refused (RebuildRunning, 409) while another runs."""
    backend = get_backend()
    rebuild = _start(backend)
    counts, target, loaded = Counter(), "", 0
    # Before anything is read: every loaded document carries this version, lower than that of any
    # sync whose read starts later (search/versions.py), so the load never overwrites such a sync.
    version = versions.now()
    try:
        target = backend.rebuild_begin()
        IndexRebuild.objects.filter(pk=rebuild.pk).update(target=target)
        batch = []
        for doc in source(counts):
            batch.append(doc)
            if len(batch) >= backend.rebuild_batch:
                loaded += backend.rebuild_load(target, batch, version=version)
                batch = []
                _heartbeat(rebuild, loaded)
                if progress:
                    progress(loaded)
        loaded += backend.rebuild_load(target, batch, version=version)
        _heartbeat(rebuild, loaded)
        backend.rebuild_loaded(target)
        replayed = _replay(rebuild, backend, target, loaded)
        _heartbeat(rebuild, loaded)  # not abandoned meanwhile: the target may go live
        backend.rebuild_finish(target, started_at=rebuild.started_at, version=version)
    except BaseException:  # a failure, or an interruption (Ctrl-C): the live index stays as it was
        backend.rebuild_discard(target)
        _end(rebuild, IndexRebuild.FAILED)
        raise
    _end(rebuild, IndexRebuild.DONE, loaded)
    if replayed:
        log.info("search: rebuild %s replayed %d object(s) synced while it ran", rebuild.pk, replayed)
    return counts
