"""The read-replica router (cms/db_router.py): where each read goes, read-your-writes, the fallback.

No replica runs in the suite: the replica's state is a stand-in here; tests/cluster/test_cluster.py
proves the same against a real streaming replica."""

from contextlib import nullcontext
from types import SimpleNamespace

import pytest
from django.db import OperationalError, connections
from django.http import HttpResponse
from django.test import RequestFactory
from health_check.exceptions import ServiceWarning

from cms import db_router, health
from cms.db_router import PIN_COOKIE, ReplicaPinMiddleware, ReplicaRouter
from cms.models import User

router = ReplicaRouter()


@pytest.fixture
def replica_up(monkeypatch):
    monkeypatch.setattr(db_router, "replica_usable", lambda: True)


def through_middleware(request, view):
    """Run `view(request)` inside the middleware; return (what the view returned, the response)."""
    seen = {}

    def get_response(req):
        seen["value"] = view(req)
        return HttpResponse("ok")

    response = ReplicaPinMiddleware(get_response)(request)
    return seen["value"], response


def reads(_request):
    return router.db_for_read(User)


def test_outside_a_request_every_read_goes_to_the_primary(replica_up):
    """Task workers, the scheduler, commands: they read rows committed an instant before."""
    assert router.db_for_read(User) == "default"
    assert router.db_for_write(User) == "default"


def test_a_read_of_a_get_goes_to_the_replica_and_sets_no_cookie(replica_up):
    used, response = through_middleware(RequestFactory().get("/"), reads)
    assert used == "replica"
    assert PIN_COOKIE not in response.cookies


def test_a_post_reads_the_primary_and_pins_the_browser(replica_up, settings):
    settings.REPLICA_PIN_SECONDS = 12
    used, response = through_middleware(RequestFactory().post("/"), reads)
    assert used == "default"
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 12 and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_after_a_write_the_rest_of_the_request_reads_the_primary(replica_up):
    def writes_then_reads(_request):
        before = router.db_for_read(User)
        router.db_for_write(User)
        return before, router.db_for_read(User)

    (before, after), response = through_middleware(RequestFactory().get("/"), writes_then_reads)
    assert (before, after) == ("replica", "default")
    assert PIN_COOKIE in response.cookies  # a GET that wrote pins its browser too


def test_a_pinned_browser_reads_the_primary(replica_up):
    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE] = "1"
    assert through_middleware(request, reads)[0] == "default"


def test_inside_a_transaction_reads_go_to_the_primary(replica_up, monkeypatch):
    """A service reading what it is about to change, in its transaction on the primary."""
    primary = SimpleNamespace(in_atomic_block=False)
    monkeypatch.setattr(db_router, "connections", {"default": primary})

    def before_and_inside(_request):
        before = router.db_for_read(User)
        primary.in_atomic_block = True
        return before, router.db_for_read(User)

    assert through_middleware(RequestFactory().get("/"), before_and_inside)[0] == ("replica", "default")


def test_a_replica_that_is_down_or_late_is_not_used(monkeypatch):
    monkeypatch.setattr(db_router, "replica_usable", lambda: False)
    assert through_middleware(RequestFactory().get("/"), reads)[0] == "default"


def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "cms") is None
    assert router.allow_migrate("replica", "cms") is False


class FakeReplica:
    """A replica connection: down (raises), or answering (in recovery, lag)."""

    def __init__(self, *, down=False, in_recovery=True, lag=0.0):
        self.down, self.answer, self.connects, self.closed = down, (in_recovery, lag), 0, 0

    def close_if_health_check_failed(self):
        pass

    def ensure_connection(self):
        self.connects += 1
        if self.down:
            raise OperationalError("connection refused")

    def close(self):
        self.closed += 1

    def cursor(self):
        replica = self

        class Cursor:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def execute(self, sql):
                assert "pg_is_in_recovery" in sql

            def fetchone(self):
                return replica.answer

        return Cursor()


@pytest.fixture
def fake_replica(monkeypatch, settings):
    settings.REPLICA_MAX_LAG_SECONDS = 5
    settings.REPLICA_CHECK_SECONDS = 60
    db_router.reset_replica_status()
    yield lambda replica: monkeypatch.setattr(db_router, "connections", {"default": connections["default"],
                                                                         "replica": replica})
    db_router.reset_replica_status()


@pytest.mark.parametrize(("replica", "usable", "reason"), [
    (FakeReplica(), True, "ok"),
    (FakeReplica(lag=9.0), False, "9 s behind (limit 5 s)"),
    (FakeReplica(in_recovery=False), False, "not in recovery"),
    (FakeReplica(down=True), False, "unreachable"),
])
def test_the_replica_is_used_only_when_reachable_a_replica_and_close_enough(fake_replica, replica, usable, reason):
    fake_replica(replica)
    assert db_router.replica_usable() is usable
    status = db_router.replica_status()
    assert status.usable is usable and reason in status.reason


def test_a_replica_found_down_is_not_tried_again_before_the_next_check(fake_replica):
    replica = FakeReplica(down=True)
    fake_replica(replica)
    assert not db_router.replica_usable()
    assert not db_router.replica_usable()
    assert replica.connects == 1 and replica.closed == 1  # one refused connection, then the primary


def test_between_two_checks_the_replica_is_not_measured_again(fake_replica):
    replica = FakeReplica()
    fake_replica(replica)
    assert db_router.replica_usable()
    replica.answer = (True, 99.0)  # late now, but the last measure is fresh
    assert db_router.replica_usable()


@pytest.mark.django_db
def test_the_privacy_page_names_the_cookie_only_with_a_replica(client19, monkeypatch, settings):
    assert PIN_COOKIE not in client19.get("/donnees-personnelles/").content.decode()
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    settings.REPLICA_PIN_SECONDS = 15
    page = client19.get("/donnees-personnelles/").content.decode()
    assert PIN_COOKIE in page and "15 secondes" in page


def test_what_goes_into_a_shared_cache_is_read_from_the_primary(replica_up):
    def computes_for_everyone(_request):
        with db_router.primary_reads():
            inside = router.db_for_read(User)
        return inside, router.db_for_read(User)

    assert through_middleware(RequestFactory().get("/"), computes_for_everyone)[0] == ("default", "replica")


@pytest.mark.parametrize(("lag", "warned"), [(0.4, False), (12.0, True)])
def test_healthz_reports_the_replica_lag_and_says_when_reads_fall_back(monkeypatch, settings, lag, warned):
    settings.REPLICA_MAX_LAG_SECONDS = 10
    connection = SimpleNamespace(vendor="postgresql", temporary_connection=nullcontext)
    monkeypatch.setattr(health, "connections", {"replica": connection})
    monkeypatch.setattr(db_router, "measure_lag", lambda _connection: (True, lag))
    check = health.ReplicaLag(alias="replica")
    if warned:
        with pytest.raises(ServiceWarning, match=r"12 s behind the primary \(limit 10 s\): reads go to the primary"):
            check.check()
    else:
        check.check()
    assert check.figures == {"lag_seconds": lag}
