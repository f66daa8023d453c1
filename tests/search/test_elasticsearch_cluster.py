"""The Elasticsearch backend against a cluster, at the client boundary: the real elasticsearch-py
client over a recording transport (tests/search/fake_elasticsearch.py). Connection settings on every
request, no alias check on the search path, the cluster down (503, syncs recorded, retried with
backoff, replayed), interrupted and concurrent rebuilds, the reconcile job. The rebuild under writes
is in test_rebuild.py, for every backend."""

import base64
import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import default_task_backend

from cms.models import StandardPage
from search import services
from search.backends import get_backend
from search.models import IndexRebuild, SyncFailure
from search.rebuild import RebuildRunning

ALIAS = "mairie-search"


def _page(home, slug, title):
    page = home.add_child(instance=StandardPage(title=title, slug=slug, intro="Réunion publique", live=False))
    page.save_revision().publish()
    return StandardPage.objects.get(pk=page.pk)


def _doc_id(page):
    return f"cms.standardpage:{page.pk}"


# --- connection settings ------------------------------------------------------------------------

@pytest.mark.parametrize(("credentials", "authorization"), [
    ({"ELASTICSEARCH_API_KEY": "aWQ6a2V5"}, "ApiKey aWQ6a2V5"),
    ({"ELASTICSEARCH_USERNAME": "mairie", "ELASTICSEARCH_PASSWORD": "s3cret"},
     "Basic " + base64.b64encode(b"mairie:s3cret").decode()),
])
def test_credentials_ca_and_timeout_go_with_every_request(site_ctx, es_cluster, settings, tmp_path, api19,
                                                          credentials, authorization):
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    settings.ELASTICSEARCH_CA_CERTS, settings.ELASTICSEARCH_TIMEOUT = str(ca), 3.5
    for name, value in credentials.items():
        setattr(settings, name, value)
    services.index_rebuild()
    assert api19.get("/api/search/", {"q": "conseil"}).status_code == 200
    assert len(es_cluster.requests) > 5
    for request in es_cluster.requests:
        assert request["headers"]["authorization"] == authorization
        assert (request["ca_certs"], request["timeout"]) == (str(ca), 3.5)


def test_a_contradiction_or_a_missing_certificate_names_the_variable(es_cluster, settings, tmp_path):
    settings.ELASTICSEARCH_API_KEY, settings.ELASTICSEARCH_USERNAME = "aWQ6a2V5", "mairie"
    with pytest.raises(ImproperlyConfigured, match="ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME"):
        get_backend().doc_ids()
    settings.ELASTICSEARCH_USERNAME, settings.ELASTICSEARCH_CA_CERTS = "", str(tmp_path / "absent.pem")
    with pytest.raises(ImproperlyConfigured, match="ELASTICSEARCH_CA_CERTS: no file at"):
        get_backend().doc_ids()


def test_searches_read_the_alias_without_asking_whether_it_exists(site_ctx, es_cluster, api19):
    services.index_rebuild()
    es_cluster.requests.clear()
    assert api19.get("/api/search/", {"q": "conseil quartier"}).status_code == 200
    assert api19.get("/api/search/suggest/", {"q": "cons"}).status_code == 200
    assert es_cluster.requests and {r["method"] for r in es_cluster.requests} == {"POST"}
    assert {r["path"] for r in es_cluster.requests} <= {f"/{ALIAS}/_search", f"/{ALIAS}/_count"}


def test_a_missing_alias_is_a_503_and_the_log_says_what_to_run(site_ctx, es_cluster, api19, caplog):
    response = api19.get("/api/search/", {"q": "conseil"})
    assert response.status_code == 503
    assert response.json()["code"] == "search_unavailable"
    assert "run manage.py rebuild_search_index" in caplog.text


def test_the_first_write_to_an_empty_cluster_creates_the_index_behind_the_alias(site_ctx, es_cluster, on_commit):
    with on_commit(execute=True):
        page = _page(site_ctx.homes["paris19"], "premiere", "Première page indexée")
    [index] = es_cluster.alias_indices(ALIAS)  # not an index named like the alias, with guessed mappings
    assert index.startswith(f"{ALIAS}-") and es_cluster.indices[index]["mappings"]["properties"]["title"]
    assert list(es_cluster.docs(ALIAS)) == [_doc_id(page)]


# --- the cluster down ---------------------------------------------------------------------------

def test_the_cluster_down_answers_503_the_site_works_and_writes_are_replayed(
        site_ctx, es_cluster, settings, api19, client19, on_commit):
    settings.ELASTICSEARCH_MAX_RETRIES = 2
    services.index_rebuild()
    es_cluster.down = True
    es_cluster.requests.clear()

    response = api19.get("/api/search/", {"q": "conseil"})
    assert response.status_code == 503
    assert set(response.json()) >= {"detail", "code"} and response.json()["code"] == "search_unavailable"
    assert len(es_cluster.requests) == 3  # the first try and ELASTICSEARCH_MAX_RETRIES more
    page = client19.get("/recherche/", {"q": "conseil"})
    assert page.status_code == 503 and "momentanément indisponible" in page.content.decode()
    assert len(es_cluster.requests) == 3  # the breaker: no one waits for a dead cluster again
    assert client19.get("/").status_code == 200

    with on_commit(execute=True):
        written = _page(site_ctx.homes["paris19"], "panne", "Publiée pendant la panne")
    failure = SyncFailure.objects.get(model_label="cms.standardpage", object_pk=str(written.pk))
    assert failure.attempts == 1 and "EngineUnavailable" in failure.error
    health = client19.get("/healthz").json()["checks"]["search"]
    assert health["status"] == "warning" and "did not answer" in health["message"]

    es_cluster.down = False
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=31), tick=False):  # breaker closed, retry due
        health = client19.get("/healthz").json()["checks"]["search"]
        assert health["status"] == "warning" and "1 search sync(s) failed" in health["message"]
        out = io.StringIO()
        call_command("search_replay_failed", stdout=out)
    assert "1 object(s) retried: 1 synced, 0 still failing" in out.getvalue()
    assert es_cluster.docs(ALIAS)[_doc_id(written)]["title"] == "Publiée pendant la panne"
    assert not SyncFailure.objects.exists()
    assert client19.get("/healthz").json()["checks"]["search"]["status"] == "ok"


def test_a_failed_sync_is_retried_through_the_queue_with_backoff_then_left_to_the_replay(
        site_ctx, es_cluster, settings):
    services.index_rebuild()
    page = StandardPage.objects.live().filter(depth__gt=2).first()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # defers, runs nothing
    settings.SEARCH_SYNC_MAX_ATTEMPTS = 3
    es_cluster.down = True
    start = timezone.now().replace(microsecond=0)
    for attempt, delay in ((1, 30), (2, 60)):
        with time_machine.travel(start, tick=False):
            services.sync_attempt(model_label="cms.standardpage", pks=[page.pk], attempt=attempt)
        queued = default_task_backend.results[-1]
        assert queued.task.run_after == start + dt.timedelta(seconds=delay)
        assert queued.args == ["cms.standardpage", [page.pk], {}, attempt + 1]
        failure = SyncFailure.objects.get()
        assert failure.attempts == attempt
        assert failure.next_attempt_at == start + dt.timedelta(seconds=delay, minutes=5)  # the replay's net
    with time_machine.travel(start, tick=False):
        services.sync_attempt(model_label="cms.standardpage", pks=[page.pk], attempt=3)
    assert len(default_task_backend.results) == 2  # the last attempt: no more tasks, the replay job's turn
    assert SyncFailure.objects.get().next_attempt_at == start + dt.timedelta(seconds=120)

    es_cluster.down = False
    es_cluster.docs(ALIAS).pop(_doc_id(page))
    with time_machine.travel(start + dt.timedelta(seconds=60), tick=False):
        queued.task.call(*queued.args, **queued.kwargs)  # the queued retry, run by a worker
    assert _doc_id(page) in es_cluster.docs(ALIAS) and not SyncFailure.objects.exists()


# --- rebuilds -----------------------------------------------------------------------------------

def test_an_interrupted_rebuild_keeps_the_live_index_and_the_next_one_removes_what_it_left(
        site_ctx, es_cluster):
    services.index_rebuild()
    live = es_cluster.alias_indices(ALIAS)

    def broken(counts):
        yield from services.all_documents(counts)
        raise RuntimeError("disque plein")

    with pytest.raises(RuntimeError):
        services.index_rebuild(source=broken)
    assert es_cluster.alias_indices(ALIAS) == live and sorted(es_cluster.indices) == live
    assert IndexRebuild.objects.latest("id").state == IndexRebuild.FAILED

    # A process killed half-way: its partial index and its row are left behind.
    killed_at = timezone.now() - dt.timedelta(hours=1)
    es_cluster.create(f"{ALIAS}-20260101000000000000", docs={"cms.standardpage:1": {"title": "partiel"}})
    IndexRebuild.objects.create(backend="elasticsearch", target=f"{ALIAS}-20260101000000000000",
                                started_at=killed_at, heartbeat_at=killed_at)
    es_cluster.create("mairie-search-ancien")  # not of ours (no timestamp): left alone
    services.index_rebuild()
    [new] = es_cluster.alias_indices(ALIAS)
    assert sorted(es_cluster.indices) == sorted([new, "mairie-search-ancien"])
    assert list(IndexRebuild.objects.order_by("id").values_list("state", flat=True)) == [
        "done", "failed", "abandoned", "done"]


def test_a_second_rebuild_is_refused_while_one_runs(site_ctx, es_cluster):
    now = timezone.now()
    IndexRebuild.objects.create(backend="elasticsearch", started_at=now, heartbeat_at=now)
    with pytest.raises(RebuildRunning):
        services.index_rebuild()
    with pytest.raises(CommandError, match="déjà en cours"):
        call_command("rebuild_search_index")
    assert not es_cluster.indices


def test_the_reconcile_job_repairs_drift_in_the_cluster(site_ctx, es_cluster):
    services.index_rebuild()
    docs = es_cluster.docs(ALIAS)
    pages = list(StandardPage.objects.live().filter(depth__gt=2).order_by("pk")[:2])
    docs.pop(_doc_id(pages[0]))  # lost
    docs[_doc_id(pages[1])]["title"] = "Un titre d'avant"  # stale
    docs["cms.standardpage:999999"] = {**docs[next(iter(docs))], "doc_id": "cms.standardpage:999999"}  # gone
    out = io.StringIO()
    call_command("search_reconcile", "--dry-run", stdout=out)
    assert "3 drifted document(s) found" in out.getvalue() and "cms.standardpage:999999" in docs
    call_command("search_reconcile", stdout=out)
    assert "3 drifted document(s) repaired" in out.getvalue()
    assert docs[_doc_id(pages[1])]["title"] == pages[1].title and _doc_id(pages[0]) in docs
    assert "cms.standardpage:999999" not in docs
    again = io.StringIO()
    call_command("search_reconcile", stdout=again)
    assert "0 drifted document(s) repaired" in again.getvalue()


def test_superusers_see_the_failed_syncs_in_the_admin_and_no_one_edits_them(
        site_ctx, es_cluster, on_commit, client, django_user_model, editor19):
    services.index_rebuild()
    es_cluster.down = True
    with on_commit(execute=True):
        page = _page(site_ctx.homes["paris19"], "panne", "Publiée pendant la panne")
    failure = SyncFailure.objects.get(object_pk=str(page.pk))
    client.force_login(django_user_model.objects.create_superuser("racine", "racine@example.org", "x"))
    listing = client.get("/admin/search_sync_failures/")
    assert listing.status_code == 200 and "EngineUnavailable" in listing.content.decode()
    for action in ("new/", f"edit/{failure.pk}/", f"delete/{failure.pk}/"):
        assert client.get(f"/admin/search_sync_failures/{action}").url == "/admin/"
    client.post(f"/admin/search_sync_failures/delete/{failure.pk}/")
    assert SyncFailure.objects.filter(pk=failure.pk).exists()
    client.force_login(editor19)
    assert client.get("/admin/search_sync_failures/").url == "/admin/"
