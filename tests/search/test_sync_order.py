"""Syncs of the same object land in the order of their reads, whatever the order of their writes
(search/versions.py): an older write after a newer one changes nothing, a late index of an older
read does not bring a removed document back, a rebuild's bulk load does not overwrite a newer sync.
Database backends on SQLite and PostgreSQL (with real concurrent syncs there); Elasticsearch at the
client boundary (the recording transport, tests/search/fake_elasticsearch.py)."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from cms.models import StandardPage
from participation.bureau.models import Project
from search import registry, services, versions
from search.backends import get_backend
from search.models import SearchEntry, SearchTombstone, SyncFailure
from tests.factories import resident
from tests.factories.bureau import ProjectFactory
from tests.factories.demo import seed_demo

ALIAS = "mairie-search"


def _page(home, slug="ordre", title="Conseil avant la modification"):
    page = home.add_child(instance=StandardPage(title=title, slug=slug, intro="Réunion publique", live=False))
    page.save_revision().publish()
    return StandardPage.objects.get(pk=page.pk)


def _read(page):
    """What a sync reads now: its version, then the page's document."""
    version = versions.now()
    return version, registry.adapter_for_model(StandardPage).document(StandardPage.objects.get(pk=page.pk))


def _rename(page, title):
    page = StandardPage.objects.get(pk=page.pk)
    page.title = title
    page.save_revision().publish()
    return page


def _sync(page):
    services.objects_sync(model_label="cms.standardpage", pks=[page.pk])


def _title(doc_id):
    return SearchEntry.objects.filter(doc_id=doc_id).values_list("title", flat=True).first()


# --- database backends (SQLite by default, PostgreSQL with DATABASE_URL) -------------------------

def test_an_older_write_after_a_newer_one_changes_nothing(site_ctx, on_commit):
    with on_commit(execute=True):
        page = _page(site_ctx.homes["paris19"])
    old_version, old_doc = _read(page)
    with on_commit(execute=True):
        _rename(page, "Conseil après la modification")
    entry = SearchEntry.objects.get(doc_id=old_doc.id)
    assert entry.title == "Conseil après la modification" and entry.version > old_version

    backend = get_backend()
    assert backend.index([old_doc], version=old_version) == 0
    assert backend.remove([old_doc.id], version=old_version) == 0
    assert SearchEntry.objects.get(doc_id=old_doc.id).title == "Conseil après la modification"
    assert not SearchTombstone.objects.filter(doc_id=old_doc.id).exists()
    # A write of a later read goes through, and equal versions too (the later write stays).
    assert backend.index([old_doc], version=entry.version) == 1
    assert _title(old_doc.id) == "Conseil avant la modification"


def test_a_late_index_after_a_delete_does_not_bring_the_document_back(site_ctx, on_commit, find, mairie19):
    with on_commit(execute=True):
        page = _page(site_ctx.homes["paris19"])
    old_version, old_doc = _read(page)
    with on_commit(execute=True):
        page.delete()
    tombstone = SearchTombstone.objects.get(doc_id=old_doc.id)
    assert tombstone.version > old_version and _title(old_doc.id) is None

    assert get_backend().index([old_doc], version=old_version) == 0
    assert _title(old_doc.id) is None and find("conseil modification", mairie=mairie19).count == 0
    assert get_backend().index([old_doc], version=tombstone.version + 1) == 1  # a later read: indexed again
    assert not SearchTombstone.objects.filter(doc_id=old_doc.id).exists()


def test_a_sync_that_read_first_and_writes_last_leaves_the_newer_document(site_ctx, on_commit, monkeypatch):
    """In one thread: sync A reads the page, then the page changes and sync B runs to the end, then A
    writes what it read."""
    with on_commit(execute=True):
        page = _page(site_ctx.homes["paris19"])
    build = services._document_or_none
    done = []

    def meanwhile(adapter, obj):
        if not done:  # sync A has read the page: the change and sync B happen now
            done.append(True)
            with on_commit(execute=True):
                _rename(page, "Conseil après la modification")
            assert _title(f"cms.standardpage:{page.pk}") == "Conseil après la modification"
        return build(adapter, obj)

    monkeypatch.setattr(services, "_document_or_none", meanwhile)
    _sync(page)  # sync A: its document still says "avant"
    assert done and _title(f"cms.standardpage:{page.pk}") == "Conseil après la modification"
    assert not SyncFailure.objects.exists()


def test_a_sync_that_read_the_page_before_its_deletion_does_not_bring_it_back(site_ctx, on_commit, monkeypatch):
    with on_commit(execute=True):
        page = _page(site_ctx.homes["paris19"])
    doc_id, build, done = f"cms.standardpage:{page.pk}", services._document_or_none, []

    def meanwhile(adapter, obj):
        if not done:
            done.append(True)
            with on_commit(execute=True):
                StandardPage.objects.get(pk=page.pk).delete()
            assert _title(doc_id) is None
        return build(adapter, obj)

    monkeypatch.setattr(services, "_document_or_none", meanwhile)
    _sync(page)
    assert done and _title(doc_id) is None


def test_the_bulk_load_of_a_rebuild_does_not_overwrite_a_newer_sync_nor_a_removal(site_ctx, on_commit):
    home = site_ctx.homes["paris19"]
    with on_commit(execute=True):
        edited, deleted = _page(home, "edite"), _page(home, "supprime", "Conseil bientôt supprimé")
    backend = get_backend()
    version = versions.now()  # the rebuild starts: its version, then its reads
    documents = [doc for doc in services.all_documents() if doc.id.startswith("cms.")]
    with on_commit(execute=True):
        _rename(edited, "Conseil après la modification")
        StandardPage.objects.get(pk=deleted.pk).delete()
    target = backend.rebuild_begin()
    backend.rebuild_load(target, documents, version=version)  # no journal replay here: the versions alone
    backend.rebuild_loaded(target)
    backend.rebuild_finish(target, started_at=None, version=version)
    assert _title(f"cms.standardpage:{edited.pk}") == "Conseil après la modification"
    assert _title(f"cms.standardpage:{deleted.pk}") is None
    assert SearchEntry.objects.filter(version=version).count() == len(documents) - 2  # the others loaded


def test_the_rows_a_rebuild_did_not_write_are_removed_with_tombstones(site_ctx, index):
    from tests.factories.search import search_doc

    [orphan] = index(search_doc("Un document orphelin", key="orphelin"))
    services.index_rebuild()
    assert _title(orphan.id) is None
    assert SearchTombstone.objects.filter(doc_id=orphan.id).exists()


def test_tombstones_are_kept_for_a_while_then_purged(db):
    backend = get_backend()
    now = versions.now()
    old = now - (versions.TOMBSTONE_SECONDS + 60) * 1_000_000
    SearchTombstone.objects.create(doc_id="cms.standardpage:ancien", version=old)
    SearchTombstone.objects.create(doc_id="cms.standardpage:recent", version=now - 1_000_000)
    backend.remove(["cms.standardpage:autre"], version=now)
    assert set(SearchTombstone.objects.values_list("doc_id", flat=True)) == {
        "cms.standardpage:recent", "cms.standardpage:autre"}


def test_versions_grow_even_when_the_machine_clock_goes_back(db):
    """PostgreSQL: the server's clock; SQLite: the machine's, through a row that never goes back."""
    first = versions.now()
    with time_machine.travel(dt.datetime(2020, 1, 1, tzinfo=dt.UTC), tick=False):
        second = versions.now()
    assert 1_700_000_000_000_000 < first < second  # microseconds since the epoch


# --- PostgreSQL: two real concurrent syncs of the same object ------------------------------------

@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", ["edit", "delete"])
def test_two_concurrent_syncs_read_old_read_new_write_new_write_old_end_with_the_newer(monkeypatch, change):
    """Sync A reads the project, the project changes (committed), sync B reads it and writes; then A
    writes what it read. Each sync in its own thread and connection, the order forced by events."""
    mairie = seed_demo(only=()).mairies["paris19"]
    project = ProjectFactory(mairie=mairie, author=resident(mairie), title="Jardin partagé, première version")
    doc_id = f"bureau.project:{project.pk}"
    assert _title(doc_id) == "Jardin partagé, première version"  # indexed on commit
    a_read, b_written = threading.Event(), threading.Event()
    build, errors = services._document_or_none, []

    def document(adapter, obj):
        if threading.current_thread().name == "sync-A":
            a_read.set()  # A has read the old project
            assert b_written.wait(timeout=30)
        return build(adapter, obj)

    monkeypatch.setattr(services, "_document_or_none", document)

    def sync(name):
        try:
            assert services.sync_attempt(model_label="bureau.project", pks=[project.pk]) in (0, 1)
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            errors.append((name, exc))
        finally:
            connection.close()

    a = threading.Thread(target=sync, args=("A",), name="sync-A")
    a.start()
    assert a_read.wait(timeout=30)
    if change == "edit":  # committed: the test runs outside any transaction
        Project.objects.filter(pk=project.pk).update(title="Jardin partagé, seconde version")
    else:
        Project.objects.filter(pk=project.pk).delete()
    b = threading.Thread(target=sync, args=("B",), name="sync-B")
    b.start()
    b.join(timeout=60)
    expected = "Jardin partagé, seconde version" if change == "edit" else None
    assert _title(doc_id) == expected  # B wrote the new state
    b_written.set()
    a.join(timeout=60)
    assert not a.is_alive() and not errors, errors
    assert _title(doc_id) == expected  # A's older read did not overwrite it
    assert not SyncFailure.objects.exists()
    if change == "delete":
        assert SearchTombstone.objects.filter(doc_id=doc_id).exists()


# --- Elasticsearch, at the client boundary -------------------------------------------------------

def _bulk_headers(cluster):
    return [(op, header) for r in cluster.requests if r["path"] == "/_bulk"
            for line in r["body"] for op, header in line.items() if op in ("index", "delete")]


def test_every_elasticsearch_write_carries_the_version_of_its_read(site_ctx, es_cluster, on_commit):
    services.index_rebuild()
    loaded = _bulk_headers(es_cluster)
    assert loaded and {header["version_type"] for _op, header in loaded} == {"external_gte"}
    assert len({header["version"] for _op, header in loaded}) == 1  # the rebuild's version, for every document
    es_cluster.requests.clear()
    before = versions.now()
    with on_commit(execute=True):
        page = _page(site_ctx.homes["paris19"])
    with on_commit(execute=True):
        page.delete()
    written = _bulk_headers(es_cluster)
    assert [op for op, _header in written] == ["index", "delete"]
    assert all(header["version_type"] == "external_gte" for _op, header in written)
    assert before < written[0][1]["version"] < written[1][1]["version"] <= versions.now()


def test_an_older_elasticsearch_write_answers_409_and_counts_as_done(site_ctx, es_cluster, on_commit):
    with on_commit(execute=True):
        page = _page(site_ctx.homes["paris19"])
    doc_id = f"cms.standardpage:{page.pk}"
    old_version, old_doc = _read(page)
    with on_commit(execute=True):
        _rename(page, "Conseil après la modification")
    es_cluster.requests.clear()
    get_backend().index([old_doc], version=old_version)  # a sync of an older read, arriving last
    [request] = [r for r in es_cluster.requests if r["path"] == "/_bulk"]  # sent once, not retried
    assert request["body"][0]["index"]["version"] == old_version
    status, answer = request["answer"]
    [item] = [i["index"] for i in answer["items"]]
    assert item["status"] == 409 and item["error"]["type"] == "version_conflict_engine_exception"
    assert es_cluster.docs(ALIAS)[doc_id]["title"] == "Conseil après la modification"

    # Through a sync: the conflict is success (no failure row, no retry), the newer document stays.
    es_cluster.requests.clear()
    newer = versions.now() + 10_000_000
    get_backend().index([registry.adapter_for_model(StandardPage).document(page)], version=newer)
    es_cluster.docs(ALIAS)[doc_id]["title"] = "Écrit par une synchronisation plus récente"
    es_cluster.requests.clear()
    assert services.sync_attempt(model_label="cms.standardpage", pks=[page.pk]) == 1
    assert len([r for r in es_cluster.requests if r["path"] == "/_bulk"]) == 1
    assert not SyncFailure.objects.exists()
    assert es_cluster.docs(ALIAS)[doc_id]["title"] == "Écrit par une synchronisation plus récente"


def test_a_late_elasticsearch_index_after_a_delete_does_not_bring_the_document_back(
        site_ctx, es_cluster, on_commit):
    with on_commit(execute=True):
        page = _page(site_ctx.homes["paris19"])
    doc_id = f"cms.standardpage:{page.pk}"
    old_version, old_doc = _read(page)
    with on_commit(execute=True):
        page.delete()
    assert doc_id not in es_cluster.docs(ALIAS)
    get_backend().index([old_doc], version=old_version)
    assert doc_id not in es_cluster.docs(ALIAS) and not SyncFailure.objects.exists()


def test_indices_keep_the_version_of_a_delete_longer_than_a_sync_takes():
    from search.backends.elastic import index_body

    assert index_body()["settings"]["gc_deletes"] == f"{versions.TOMBSTONE_SECONDS}s"
