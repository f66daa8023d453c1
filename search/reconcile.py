"""The periodic check that the index says what the database says (`manage.py search_reconcile`,
daily from the scheduler): the last net under the syncs, their retries and the rebuild's journal.

Type by type: the ids in the index against the adapter's candidates in the database, and a random
sample of indexed documents compared field by field (type, mairie, audience, title, url, status,
quartier) with what their objects give now. Repairs: documents of objects gone are removed; objects
that give a document but have none indexed, and sampled documents that differ, are synced again
(through objects_sync: journaled if a rebuild runs, recorded if the engine fails)."""

import secrets
from collections import defaultdict
from dataclasses import dataclass

from . import registry, services
from .backends import get_backend

SAMPLE = 20
CHUNK = 500


@dataclass
class TypeReport:
    type: str
    objects: int = 0  # the adapter's candidates in the database (searchable or not)
    indexed: int = 0  # documents of this type in the index
    orphans: int = 0  # indexed, their object gone: removed
    missing: int = 0  # their object gives a document, none is indexed: synced
    sampled: int = 0
    different: int = 0  # sampled documents no longer what their object gives: synced


def _documents(adapter, pks):
    """{pk: document or None} of these objects as they are now."""
    found = {}
    for start in range(0, len(pks), CHUNK):
        for obj in adapter.queryset().filter(pk__in=pks[start:start + CHUNK]):
            doc = services._document_or_none(adapter, obj)
            found[str(obj.pk)] = doc if doc is not None and services._valid(doc) else None
    return found


def _sync(adapter, pks):
    label = adapter.model._meta.label
    for start in range(0, len(pks), services.CHUNK):
        services.objects_sync(model_label=label, pks=pks[start:start + services.CHUNK])


def index_reconcile(*, sample: int = SAMPLE, repair: bool = True) -> list[TypeReport]:
    backend = get_backend()
    adapters = registry.adapters()
    indexed: dict[str, dict[str, str]] = defaultdict(dict)  # type -> {pk: doc id}
    unknown = []
    for doc_id in backend.doc_ids():  # read before the objects: an object created meanwhile is "missing"
        type_, _sep, pk = doc_id.partition(":")
        if type_ in adapters:
            indexed[type_][pk] = doc_id
        else:
            unknown.append(doc_id)
    reports = []
    for key, adapter in sorted(adapters.items()):
        report = TypeReport(type=key, indexed=len(indexed[key]))
        pks = {str(pk) for pk in adapter.queryset().prefetch_related(None).values_list("pk", flat=True)}
        report.objects = len(pks)
        orphans = [doc_id for pk, doc_id in indexed[key].items() if pk not in pks]
        report.orphans = len(orphans)
        absent = sorted(pks - indexed[key].keys())
        missing = [pk for pk, doc in _documents(adapter, absent).items() if doc is not None]
        report.missing = len(missing)
        candidates = sorted(pks & indexed[key].keys())
        chosen = secrets.SystemRandom().sample(candidates, min(sample, len(candidates)))
        current = _documents(adapter, chosen)
        stored = backend.stored([indexed[key][pk] for pk in chosen])
        different = [pk for pk in chosen if current.get(pk) is None or indexed[key][pk] not in stored
                     or backend.comparable(current[pk]) != stored[indexed[key][pk]]]
        report.sampled, report.different = len(chosen), len(different)
        if repair:
            if orphans:
                backend.remove(orphans)
            _sync(adapter, missing + different)
        reports.append(report)
    if unknown:
        reports.append(TypeReport(type="(unknown types)", indexed=len(unknown), orphans=len(unknown)))
        if repair:
            backend.remove(unknown)
    return reports
