"""The production topology, started on this machine (deploy/cluster/cluster.py, as `make cluster`) and
tested end to end with real HTTP requests through nginx: two app servers, two task workers, the
scheduler, PostgreSQL with a streaming replica, Redis, an S3 server.

One test function (its steps are subtests) on one cluster: with pytest-xdist only one process starts
it. It runs on PostgreSQL runs only (.ci/run's second pass); it needs nginx, PostgreSQL's server
binaries and redis-server from Debian (.ci/run installs nginx when it is missing). The cluster lives
in var/cluster-test/ on ports shifted by 1000 (CLUSTER_TEST_PORT_OFFSET), so that a `make cluster`
left running does not collide; CLUSTER_KEEP=1 leaves it running after the test.
"""

import glob
import importlib.util
import os
import re
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import psycopg
import psycopg.types.json
import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo-mairie-2026"  # the demo accounts' (DEMO_PASSWORD's default)
ADMIN = ("cluster-admin", "cluster-admin-password-2026")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TUNING = {  # what the cluster's app processes are given (cluster.py's CLUSTER_* tunables)
    "CLUSTER_PAGE_CACHE_SECONDS": "300",  # a page left in the cache would stay: only invalidation refreshes it
    "CLUSTER_REPLICA_MAX_LAG_SECONDS": "3",
    "CLUSTER_REPLICA_CHECK_SECONDS": "1",
    "CLUSTER_REPLICA_PIN_SECONDS": "15",
    "CLUSTER_TASK_RUNNING_TIMEOUT_SECONDS": "4",
}
MAX_LAG = int(TUNING["CLUSTER_REPLICA_MAX_LAG_SECONDS"])

pytestmark = [pytest.mark.postgres, pytest.mark.cluster]


def missing_tools() -> str | None:
    """Why the cluster cannot start here (with how to install what lacks), or None."""
    needs = [
        ("nginx", shutil.which("nginx") or os.path.exists("/usr/sbin/nginx"), "apt-get install nginx"),
        ("PostgreSQL server binaries", glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"),
         "apt-get install postgresql"),
        ("redis-server", shutil.which("redis-server"), "apt-get install redis-server"),
        ("openssl", shutil.which("openssl"), "apt-get install openssl"),
        ("moto_server", os.path.exists(os.path.join(os.path.dirname(sys.executable), "moto_server")),
         ".venv/bin/pip install -c constraints.txt -e '.[dev]'"),
    ]
    lacking = [f"{what} ({how})" for what, found, how in needs if not found]
    return ("the cluster test needs " + ", ".join(lacking) + "; .ci/run installs nginx") if lacking else None


def wait_until(condition, what, timeout=20.0, every=0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


class Cluster:
    """The running cluster: cluster.py's functions, HTTPS sessions through nginx, SQL on both databases."""

    def __init__(self, module, admin_created):
        self.module = module
        self.admin_created = admin_created
        self.ports = module.PORTS
        self.certificate = str(module.NGINX / "tls.crt")

    # --- HTTP through nginx (its certificate checked, as a browser would) ---

    def url(self, door, path):
        """door: "one" (app server 1 only), "two" (app server 2 only), "front" (both, load-balanced)."""
        return f"https://127.0.0.1:{self.ports[door]}{path}"

    def session(self):
        session = requests.Session()
        session.trust_env = False  # no proxy, no CA bundle from the environment: our certificate
        session.verify = self.certificate
        return session

    def login(self, door, username, password=PASSWORD):
        session = self.session()
        session.get(self.url(door, "/compte/connexion/"))
        answer = session.post(self.url(door, "/compte/connexion/"), allow_redirects=False,
                              data={"login": username, "password": password,
                                    "csrfmiddlewaretoken": session.cookies["csrftoken"]},
                              headers={"Referer": self.url(door, "/compte/connexion/")})
        assert answer.status_code == 302, f"{username} could not log in through {door}: {answer.status_code}"
        return session

    def admin(self, door):
        """A session of the administrator made at start (Wagtail's document upload needs collection rights)."""
        self.admin_created.join(timeout=60)
        return self.login(door, *ADMIN)

    def post(self, session, door, path, **kwargs):
        """A POST as a page of this site sends it (CSRF token and same-origin Referer)."""
        headers = {"X-CSRFToken": session.cookies.get("csrftoken", ""), "Referer": self.url(door, "/")}
        return session.post(self.url(door, path), headers=headers, allow_redirects=False, timeout=30, **kwargs)

    def health(self, door="front"):
        return self.session().get(self.url(door, "/healthz"), timeout=10).json()

    # --- SQL ---

    def sql(self, which, query, params=()):
        """Rows of `query` on the "primary" or the "replica"."""
        with psycopg.connect(host="127.0.0.1", port=self.ports[which], user="postgres", dbname="mairie",
                             autocommit=True, connect_timeout=3) as connection:
            cursor = connection.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def one(self, which, query, params=()):
        rows = self.sql(which, query, params)
        return rows[0][0] if rows else None

    def user_id(self, username):
        return self.one("primary", "SELECT id FROM cms_user WHERE username = %s", (username,))

    def supports(self, user_id, app_label, object_id):
        return self.one("primary", "SELECT count(*) FROM participation_support s JOIN django_content_type t "
                        "ON t.id = s.content_type_id WHERE s.user_id = %s AND t.app_label = %s AND s.object_id = %s",
                        (user_id, app_label, object_id))

    # --- processes ---

    def kill(self, name):
        """SIGKILL a process and its children (its process group): no goodbye, as a crash."""
        pid = self.module.pid_of(name)
        assert pid, f"{name} is not running"
        os.killpg(pid, signal.SIGKILL)
        wait_until(lambda: not self.module.pid_of(name) or not self.module._alive(pid), f"{name} to die")
        # Its pid may be given to another process of this busy machine (a browser of the suite): the pid
        # file would then name a live process, and `restart` would take the dead server for a running one.
        (self.module.RUN / f"{name}.pid").unlink(missing_ok=True)

    def restart(self, name):
        self.module.start_service(name)
        if name in ("app1", "app2"):
            # Generous: in CI the rest of the suite shares the two cores while gunicorn preloads Django.
            self.module.wait_healthy(self.ports["one" if name == "app1" else "two"], name, timeout=150.0,
                                     process=name)

    def replica_data(self):
        return self.module.PG_BASE / "replica"


@pytest.fixture(scope="module")
def cluster():
    reason = missing_tools()
    if reason:
        pytest.skip(reason)
    offset = os.environ.get("CLUSTER_TEST_PORT_OFFSET") or "1000"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLUSTER_DIR", str(ROOT / "var" / "cluster-test"))
        patch.setenv("CLUSTER_PORT_OFFSET", offset)
        for name, value in TUNING.items():
            patch.setenv(name, value)
        spec = importlib.util.spec_from_file_location("cluster_under_test", ROOT / "deploy" / "cluster" / "cluster.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        try:
            module.start(fresh=True)
            env = {**module.app_env(), "DJANGO_SUPERUSER_PASSWORD": ADMIN[1]}
            admin = threading.Thread(target=module.manage, kwargs={"env": env, "quiet": True}, args=(
                "createsuperuser", "--noinput", "--username", ADMIN[0], "--email", "cluster-admin@example.org"))
            admin.start()  # needed from the media step on (Cluster.admin waits for it)
            yield Cluster(module, admin)
        finally:
            if not os.environ.get("CLUSTER_KEEP"):
                module.stop(purge=True)


# --- the steps ------------------------------------------------------------------------------------


def open_amendments(session, cluster):
    listing = session.get(cluster.url("two", "/api/commandements/amendments/?limit=50")).json()["results"]
    return [item["id"] for item in listing if item["status"] == "open" and not item["supported"]]


def sessions_and_votes_cross_app_servers(cluster, state):
    """A login and a vote made through app server 1 are seen through app server 2 (sessions in Redis,
    one database); the voter sees the vote at once (read-your-writes)."""
    resident = cluster.login("one", "habitant")
    assert resident.get(cluster.url("two", "/api/me/")).json()["username"] == "habitant"
    assert "habitant" not in cluster.session().get(cluster.url("two", "/api/me/")).text  # not anyone's session
    amendments = open_amendments(resident, cluster)
    amendment = amendments.pop(0)
    mine = {row[0] for row in cluster.sql(
        "primary", "SELECT s.object_id FROM participation_support s JOIN django_content_type t ON t.id = "
        "s.content_type_id WHERE t.app_label = 'hackathon' AND s.user_id = %s", (cluster.user_id("habitant"),))}
    issues = [row[0] for row in cluster.sql(
        "primary", "SELECT id FROM hackathon_recurringissue WHERE status = 'open' ORDER BY id")]
    state["unvoted"] = ([(f"/api/commandements/amendments/{pk}/", "supports_count") for pk in amendments]
                        + [(f"/api/hackathon/issues/{pk}/", "me_too_count") for pk in issues if pk not in mine])
    before = resident.get(cluster.url("two", f"/api/commandements/amendments/{amendment}/")).json()["supports_count"]
    vote = cluster.post(resident, "one", f"/api/commandements/amendments/{amendment}/vote/")
    assert vote.status_code == 201, vote.text
    assert "read_primary" in vote.cookies  # the browser reads the primary for a while (cms/db_router.py)
    seen = resident.get(cluster.url("two", f"/api/commandements/amendments/{amendment}/")).json()
    assert seen["supported"] is True and seen["supports_count"] == before + 1
    state["resident"] = resident


def publish_invalidates_both_page_caches(cluster, state):
    """Unpublishing on one app server and publishing again on the other: the shared Redis page cache
    follows at once on both (pages stay 300 s in the cache here)."""
    page = cluster.one("primary", "SELECT id FROM wagtailcore_page WHERE url_path = '/accueil-paris19/a-propos/'")
    visitor = cluster.session()
    for door in ("one", "two"):  # the page in the cache of both (the key holds the host and its port)
        assert visitor.get(cluster.url(door, "/a-propos/")).status_code == 200
        assert visitor.get(cluster.url(door, "/a-propos/")).headers["X-Page-Cache"] == "hit"
    editor = cluster.login("one", "editeur")
    done = cluster.post(editor, "one", f"/admin/bulk/wagtailcore/page/unpublish/?id={page}",
                        data={"csrfmiddlewaretoken": editor.cookies["csrftoken"]})
    assert done.status_code == 302
    assert [visitor.get(cluster.url(door, "/a-propos/")).status_code for door in ("two", "one")] == [404, 404]
    done = cluster.post(editor, "two", f"/admin/bulk/wagtailcore/page/publish/?id={page}",
                        data={"csrfmiddlewaretoken": editor.cookies["csrftoken"]})
    assert done.status_code == 302
    assert [visitor.get(cluster.url(door, "/a-propos/")).status_code for door in ("one", "two")] == [200, 200]


def reads_go_to_the_replica_with_read_your_writes(cluster, state):
    """With the replica's replay paused, a change written on the primary is not seen by an anonymous
    API read (it went to the replica) but a voter sees their own vote (pinned to the primary); once
    the replica is more than REPLICA_MAX_LAG_SECONDS behind, reads fall back to the primary and
    /healthz says so."""
    page = cluster.one("primary", "SELECT id FROM wagtailcore_page WHERE url_path = '/accueil-paris19/'")
    api = f"/api/v2/pages/{page}/"
    visitor, resident = cluster.session(), state["resident"]

    def replica_title():
        return cluster.one("replica", "SELECT title FROM wagtailcore_page WHERE id = %s", (page,))

    for attempt in range(3):  # the proof holds only while the replica is less than MAX_LAG behind
        detail, field = state["unvoted"].pop(0)
        before = resident.get(cluster.url("two", detail)).json()[field]
        cluster.sql("primary", "UPDATE wagtailcore_page SET title = %s WHERE id = %s", (f"Sonde A{attempt}", page))
        replayed = time.monotonic()
        wait_until(lambda attempt=attempt: replica_title() == f"Sonde A{attempt}", "the replica to replay")
        cluster.sql("replica", "SELECT pg_wal_replay_pause()")
        cluster.sql("primary", "UPDATE wagtailcore_page SET title = %s WHERE id = %s", (f"Sonde B{attempt}", page))
        wait_until(lambda: cluster.one("replica", "SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()"),
                   "the change to reach the replica, unreplayed")
        seen = visitor.get(cluster.url("front", api)).json()["title"]
        vote = cluster.post(resident, "one", f"{detail}vote/")
        after = resident.get(cluster.url("two", detail)).json()[field]
        in_time = time.monotonic() - replayed < MAX_LAG - 0.5
        if in_time:
            break
        cluster.sql("replica", "SELECT pg_wal_replay_resume()")
    assert in_time, "this machine is too slow to prove replica reads within REPLICA_MAX_LAG_SECONDS"
    assert seen == f"Sonde A{attempt}", "an anonymous read should have gone to the (paused) replica"
    assert cluster.one("primary", "SELECT title FROM wagtailcore_page WHERE id = %s", (page,)) == f"Sonde B{attempt}"
    assert vote.status_code == 201, vote.text
    assert after == before + 1, "the voter must see their own vote at once (read-your-writes)"

    fell_back = wait_until(lambda: visitor.get(cluster.url("front", api)).json()["title"] == f"Sonde B{attempt}",
                           "reads to fall back to the primary", timeout=MAX_LAG + 8)
    assert fell_back
    report = cluster.health()
    assert report["checks"]["replica"]["status"] == "warning"
    assert "behind the primary" in report["checks"]["replica"]["message"]
    assert "reads go to the primary" in report["checks"]["replica"]["message"]
    assert report["checks"]["replica"]["lag_seconds"] > MAX_LAG
    cluster.sql("replica", "SELECT pg_wal_replay_resume()")
    wait_until(lambda: replica_title() == f"Sonde B{attempt}", "the replica to catch up")
    wait_until(lambda: cluster.health()["checks"]["replica"]["status"] == "ok", "the replica to be healthy",
               timeout=40)


def replica_down_reads_fall_back(cluster, state):
    """The replica stopped: every read still answers (from the primary), /healthz warns and stays 200."""
    cluster.module.pg_stop(cluster.replica_data(), "replica")
    try:
        visitor = cluster.session()
        for door in ("one", "two", "front"):
            assert visitor.get(cluster.url(door, "/api/commandements/amendments/")).status_code == 200
            assert visitor.get(cluster.url(door, "/")).status_code == 200
        answer = cluster.session().get(cluster.url("front", "/healthz"))
        assert answer.status_code == 200
        replica = answer.json()["checks"]["replica"]
        assert replica["status"] == "warning" and "unreachable: reads go to the primary" in replica["message"]
    finally:
        cluster.module.pg_start(cluster.replica_data(), cluster.ports["replica"], "replica")
    wait_until(lambda: cluster.health()["checks"]["replica"]["status"] == "ok", "the replica to be back", timeout=40)


def upload_document(cluster, session, title):
    root = cluster.one("primary", "SELECT id FROM wagtailcore_collection WHERE depth = 1")
    return cluster.post(session, "one", "/admin/documents/add/",
                        data={"title": title, "collection": root, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
                        files={"file": ("compte-rendu.pdf", PDF, "application/pdf")})


def public_media_on_s3_private_files_by_nginx(cluster, state):
    """A document uploaded through app server 1 is stored on the S3 server and served from it (its
    URL there, and Wagtail's serve view on app server 2); a private picture is sent by nginx after
    Django's permission check (X-Accel-Redirect), and refused to a resident and to a stranger."""
    admin = cluster.admin("one")
    assert upload_document(cluster, admin, "Compte rendu du conseil").status_code == 302
    document, name = cluster.sql("primary", "SELECT id, file FROM wagtaildocs_document WHERE title = %s",
                                 ("Compte rendu du conseil",))[0]
    store = f"http://127.0.0.1:{cluster.ports['s3']}/{cluster.module.BUCKET}"
    listing = requests.get(f"{store}?list-type=2", timeout=5).text
    assert f"<Key>{name}</Key>" in listing
    assert not (cluster.module.CLUSTER_DIR / "media" / name).exists()
    assert requests.get(f"{store}/{name}", timeout=5).content == PDF  # the S3 server serves it
    served = admin.get(cluster.url("two", f"/documents/{document}/compte-rendu.pdf"))
    assert served.status_code == 200 and served.content == PDF

    picture = cluster.one("primary", "SELECT i.file FROM wagtailimages_image i JOIN wagtailcore_collection c "
                          "ON c.id = i.collection_id WHERE c.name = 'Bricolages' ORDER BY i.id LIMIT 1")
    url = f"/images/{picture}"
    agent = cluster.login("front", "agent")
    sent = agent.get(cluster.url("front", url))
    assert sent.status_code == 200 and sent.content.startswith(b"\x89PNG")
    assert sent.headers["Content-Type"] == "image/png" and sent.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in sent.headers["Content-Security-Policy"]
    assert sent.headers["Cache-Control"] == "private, no-store"
    # The same request straight to an app server: Django only checked and pointed nginx to the file.
    direct = requests.get(f"http://127.0.0.1:{cluster.ports['app2']}{url}", timeout=10,
                          headers={"X-Forwarded-Proto": "https", "Cookie": f"sessionid={agent.cookies['sessionid']}"})
    assert direct.status_code == 200 and direct.content == b""
    assert direct.headers["X-Accel-Redirect"] == f"/_private/images/{picture}"
    assert cluster.login("front", "habitant").get(cluster.url("front", url)).status_code == 404
    assert cluster.session().get(cluster.url("front", url)).status_code == 404
    assert cluster.session().get(cluster.url("front", f"/_private/images/{picture}")).status_code == 404


def s3_down_refuses_uploads_cleanly(cluster, state):
    """The S3 server stopped: an upload answers 503 with a French message, and no row is left."""
    admin = cluster.admin("one")
    count = cluster.one("primary", "SELECT count(*) FROM wagtaildocs_document")
    cluster.module.stop_process("s3")
    try:
        refused = upload_document(cluster, admin, "Document sans stockage")
        assert refused.status_code == 503
        assert "Le stockage des fichiers ne répond pas" in refused.text
        assert cluster.one("primary", "SELECT count(*) FROM wagtaildocs_document") == count
    finally:
        cluster.restart("s3")
    assert upload_document(cluster, admin, "Document avec stockage").status_code == 302


def killed_app_server_loses_no_acknowledged_vote(cluster, state):
    """Votes stream through the front while app server 1 is SIGKILLed: every vote answered 201 is in
    the database, and the front goes on serving through app server 2."""
    voters = {name: cluster.login("front", name) for name in ("habitant", "agent", "organisateur", "editeur")}
    issues = [row[0] for row in cluster.sql("primary", "SELECT id FROM hackathon_recurringissue ORDER BY id")]
    amendments = [row[0] for row in cluster.sql(
        "primary", "SELECT id FROM commandements_amendment WHERE status = 'open' ORDER BY id")]
    ballots = [(name, "commandements", pk, f"/api/commandements/amendments/{pk}/vote/") for pk in amendments
               for name in voters] + [(name, "hackathon", pk, f"/api/hackathon/issues/{pk}/vote/") for pk in issues
                                      for name in voters]
    answers, first_ack = [], threading.Event()

    def vote_all():
        for name, app_label, pk, path in ballots:
            try:
                status = cluster.post(voters[name], "front", path).status_code
            except requests.RequestException:
                status = None
            answers.append((name, app_label, pk, status, time.monotonic()))
            if status == 201:
                first_ack.set()

    voting = threading.Thread(target=vote_all)
    voting.start()
    first_ack.wait(timeout=30)
    killed_at = time.monotonic()
    cluster.kill("app1")
    voting.join(timeout=120)
    acknowledged = [(name, app_label, pk) for name, app_label, pk, status, _at in answers if status == 201]
    after_kill = [a for a in answers if a[3] == 201 and a[4] > killed_at]
    assert acknowledged and after_kill, f"no vote acknowledged before and after the kill: {answers}"
    lost = [vote for vote in acknowledged if cluster.supports(cluster.user_id(vote[0]), vote[1], vote[2]) != 1]
    assert not lost, f"acknowledged votes missing from the database: {lost}"
    # Refusals (already supported, closed issue, not their role) and the requests cut by the kill
    # (502 from nginx, or a dropped connection): never a server error.
    assert all(status in (201, 502, None) or 400 <= status < 500 for *_rest, status, _at in answers), answers
    assert cluster.session().get(cluster.url("front", "/")).status_code == 200
    cluster.restart("app1")


def killed_worker_task_is_retried(cluster, state):
    """A worker SIGKILLed in the middle of a task leaves it RUNNING; past TASK_RUNNING_TIMEOUT_SECONDS
    requeue_stale_tasks (the scheduler's job) puts it back, and the other worker runs it to the end."""
    marker = cluster.module.CLUSTER_DIR / "slow-task-attempts.txt"
    marker.unlink(missing_ok=True)
    task = cluster.one("primary", (
        "INSERT INTO django_tasks_database_dbtaskresult (id, status, enqueued_at, args_kwargs, priority, task_path, "
        "worker_ids, queue_name, backend_name, run_after, exception_class_path, traceback) VALUES "
        "(gen_random_uuid(), 'READY', now(), %s, 0, 'tests.cluster.tasks.slow_task', '[]', 'default', 'default', "
        "'9999-01-01 00:00:00+00', '', '') RETURNING id"), (psycopg.types.json.Jsonb(
            {"args": [3, str(marker)], "kwargs": {}}),))

    def row():
        return cluster.sql("primary", "SELECT status, worker_ids, started_at FROM django_tasks_database_dbtaskresult "
                           "WHERE id = %s", (task,))[0]

    wait_until(lambda: row()[0] == "RUNNING" and marker.exists(), "a worker to start the task")
    first = row()[1][-1]
    victim = {"worker-1": "worker1", "worker-2": "worker2"}[first]
    cluster.kill(victim)
    time.sleep(1)
    assert row()[0] == "RUNNING"  # the worker died holding it
    wait_until(lambda: cluster.one("primary", "SELECT now() - started_at > interval '4 seconds' FROM "
                                   "django_tasks_database_dbtaskresult WHERE id = %s", (task,)), "the timeout")
    cluster.module.manage("requeue_stale_tasks", quiet=True)
    status, workers, _started = wait_until(lambda: row()[0] == "SUCCESSFUL" and row(), "the retry to finish",
                                           timeout=30)
    assert workers[0] == first and len(workers) >= 2 and workers[-1] != first
    assert len(marker.read_text().split()) >= 2  # it really ran again
    cluster.restart(victim)


STEPS = [sessions_and_votes_cross_app_servers, publish_invalidates_both_page_caches,
         reads_go_to_the_replica_with_read_your_writes, replica_down_reads_fall_back,
         public_media_on_s3_private_files_by_nginx, s3_down_refuses_uploads_cleanly,
         killed_app_server_loses_no_acknowledged_vote, killed_worker_task_is_retried]


def test_the_production_topology_on_this_machine(cluster, subtests):
    state = {}
    timings = []
    for step in STEPS:
        started = time.monotonic()
        with subtests.test(msg=step.__name__):
            step(cluster, state)
        timings.append(f"{step.__name__} {time.monotonic() - started:.1f} s")
    print("\n".join(timings))


def test_the_cluster_script_says_what_to_install_when_a_tool_is_missing(monkeypatch):
    """Without nginx (or any other tool) the test is skipped with how to install it, not failed."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(os.path, "exists", lambda path: False)
    reason = missing_tools()
    assert "apt-get install nginx" in reason and "apt-get install redis-server" in reason
    assert re.search(r"\.ci/run installs nginx", reason)


