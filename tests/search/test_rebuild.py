"""A rebuild loses nothing written while it runs, on every backend: an edit is not undone by the
bulk load's older copy, a deletion is not undone, a new object is in the new index (the rebuild's
journal and its replay, search/rebuild.py). On PostgreSQL, with real concurrent requests."""

import io
import json
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.authtoken.models import Token

from cms.models import StandardPage
from participation.bureau.models import Project, Status
from search import services
from search.backends import get_backend
from search.models import IndexRebuild, RebuildJournal, SearchEntry
from tests.concurrency import race
from tests.factories import organiser, resident
from tests.factories.bureau import ProjectFactory
from tests.factories.demo import seed_demo
from tests.search.conftest import LIVE, ids

ALIAS = "mairie-search"


def _page(home, slug, title):
    page = home.add_child(instance=StandardPage(title=title, slug=slug, intro="Réunion publique", live=False))
    page.save_revision().publish()
    return StandardPage.objects.get(pk=page.pk)


def _indexed(engine, cluster):
    """{doc id: title} of the live index."""
    if engine == "elasticsearch":
        return {doc_id: source["title"] for doc_id, source in cluster.docs(ALIAS).items()}
    if engine == "live":
        backend = get_backend()
        return {doc_id: fields["title"] for doc_id, fields in backend.stored(sorted(backend.doc_ids())).items()}
    return dict(SearchEntry.objects.values_list("doc_id", "title"))


@pytest.mark.parametrize("engine", ["database", "elasticsearch", pytest.param("live", marks=LIVE)])
def test_writes_made_during_a_rebuild_are_in_the_new_index(site_ctx, on_commit, request, find, mairie19, engine):
    """database: SQLite or PostgreSQL; elasticsearch: the recording transport; live: ELASTICSEARCH_URL."""
    cluster = request.getfixturevalue("es_cluster") if engine == "elasticsearch" else None
    if engine == "live":
        request.getfixturevalue("es_live")
    home = site_ctx.homes["paris19"]
    with on_commit(execute=True):
        edited = _page(home, "edite", "Conseil avant la modification")
        deleted = _page(home, "supprime", "Conseil bientôt supprimé")
    services.index_rebuild()
    created = {}

    def read_then_written(counts):
        """Every document read first, loaded after the writes: the bulk load holds older copies."""
        documents = list(services.all_documents(counts))
        with on_commit(execute=True):
            page = StandardPage.objects.get(pk=edited.pk)
            page.title = "Conseil après la modification"
            page.save_revision().publish()
            StandardPage.objects.get(pk=deleted.pk).delete()
            created["page"] = _page(home, "nouveau", "Conseil créé pendant la reconstruction")
        yield from documents

    services.index_rebuild(source=read_then_written)
    indexed = _indexed(engine, cluster)
    assert indexed[f"cms.standardpage:{edited.pk}"] == "Conseil après la modification"
    assert f"cms.standardpage:{deleted.pk}" not in indexed
    assert indexed[f"cms.standardpage:{created['page'].pk}"] == "Conseil créé pendant la reconstruction"
    expected = {doc.id: doc.title for doc in services.all_documents()}
    assert indexed == expected
    if engine != "elasticsearch":  # found by a search after the swap (the recording transport does not search)
        assert f"cms.standardpage:{created['page'].pk}" in ids(find("créé pendant la reconstruction", mairie=mairie19))
        assert ids(find("conseil modification", mairie=mairie19)) == [f"cms.standardpage:{edited.pk}"]
        assert find("bientôt supprimé", mairie=mairie19).count == 0
    assert IndexRebuild.objects.latest("id").state == IndexRebuild.DONE and not RebuildJournal.objects.exists()
    if engine == "database" and connection.vendor == "sqlite":  # FTS5's own check of its b-trees
        with connection.cursor() as cursor:
            for table in ("search_fts", "search_suggest_fts"):
                cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")  # noqa: S608
    if cluster is not None:  # the syncs wrote into both indices: the alias and the one being built
        target = IndexRebuild.objects.latest("id").target
        assert cluster.alias_indices(ALIAS) == [target] and list(cluster.indices) == [target]
        bulks = [{(op.get("index") or op.get("delete") or {}).get("_index") for op in r["body"]}
                 for r in cluster.requests if r["path"] == "/_bulk"]
        assert any({ALIAS, target} <= names for names in bulks)


def test_the_database_index_after_a_rebuild_under_writes_answers_searches(site_ctx, on_commit, find, mairie19):
    home = site_ctx.homes["paris19"]
    with on_commit(execute=True):
        edited = _page(home, "edite", "Composteur avant")

    def read_then_written(counts):
        documents = list(services.all_documents(counts))
        with on_commit(execute=True):
            page = StandardPage.objects.get(pk=edited.pk)
            page.title = "Vélo-école du canal"
            page.save_revision().publish()
        yield from documents

    services.index_rebuild(source=read_then_written)
    assert ids(find("vélo école", mairie=mairie19)) == [f"cms.standardpage:{edited.pk}"]
    assert find("composteur", mairie=mairie19).count == 0


def test_the_reconcile_job_repairs_the_database_index(site_ctx, index, on_commit):
    from tests.factories.search import search_doc

    services.index_rebuild()
    page = StandardPage.objects.live().filter(depth__gt=2).order_by("pk").first()
    SearchEntry.objects.filter(doc_id=f"cms.standardpage:{page.pk}").update(title="Un titre d'avant")
    index(search_doc("Orphelin", key="999999"), search_doc("Type inconnu", type="ancien.type", key="1"))
    out = io.StringIO()
    call_command("search_reconcile", "--sample", "50", stdout=out)
    assert "3 drifted document(s) repaired" in out.getvalue()
    indexed = dict(SearchEntry.objects.values_list("doc_id", "title"))
    assert indexed == {doc.id: doc.title for doc in services.all_documents()}


# --- PostgreSQL: real concurrent requests during a rebuild ---------------------------------------

def _post(url, token, data):
    request = urllib.request.Request(url, method="POST", data=json.dumps(data).encode(), headers={
        "Authorization": f"Token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - the test's own server
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_rebuild_under_concurrent_requests_loses_nothing(concurrent_server):
    mairie = seed_demo(only=()).mairies["paris19"]
    author = resident(mairie)
    public = [ProjectFactory(mairie=mairie, author=author, title=f"Jardin partagé n° {n}") for n in range(8)]
    waiting = [ProjectFactory(mairie=mairie, author=author, title=f"Atelier vélo n° {n}", status=Status.SUBMITTED,
                              published_at=None) for n in range(8)]
    services.index_rebuild()
    token = Token.objects.create(user=organiser(mairie)).key
    api = f"{concurrent_server.url}/api"
    calls = [  # 4 projects change status, 4 are hidden, 8 become public: 16 requests at once
        *(lambda p=p: _post(f"{api}/bureau/projects/{p.pk}/transition/", token,
                            {"status": Status.INCUBATED, "rationale": "Accompagné par la mairie."}) for p in public[:4]),
        *(lambda p=p: _post(f"{api}/participation/moderation/hide/", token,
                            {"target": f"bureau.project:{p.pk}", "reason": "Doublon"}) for p in public[4:]),
        *(lambda p=p: _post(f"{api}/bureau/projects/{p.pk}/transition/", token,
                            {"status": Status.UNDER_REVIEW, "rationale": "Recevable."}) for p in waiting),
    ]
    codes = []

    def read_then_written(counts):
        documents = list(services.all_documents(counts))
        codes.extend(race(calls))
        yield from documents

    services.index_rebuild(source=read_then_written)
    assert codes == [200] * 16, codes
    indexed = dict(SearchEntry.objects.filter(type="bureau.project").values_list("doc_id", "status"))
    assert indexed == {f"bureau.project:{p.pk}": p.status for p in Project.objects.filter(mairie=mairie)
                       if p.is_public()}
    assert {indexed[f"bureau.project:{p.pk}"] for p in public[:4]} == {Status.INCUBATED}
    assert not {f"bureau.project:{p.pk}" for p in public[4:]} & indexed.keys()
    assert {f"bureau.project:{p.pk}" for p in waiting} <= indexed.keys()
