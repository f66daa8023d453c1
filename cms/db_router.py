"""Reads on the replica, writes on the primary, and people always see what they just wrote.

Switched on by `DATABASE_REPLICA_URL` (cms/settings/base.py adds a "replica" alias, this router and
`ReplicaPinMiddleware`); without it, everything uses "default" as before. [Decision 0009](../docs/decisions/0009-read-replica.md)
says why it is shaped so.

Where a query goes:

- Writes go to the primary ("default"), always.
- Reads go to the replica only inside a request, and only when none of these holds (then the primary):
  the request has a writing method (POST, PUT, PATCH, DELETE); it carries the `read_primary` cookie
  (the same browser wrote less than REPLICA_PIN_SECONDS ago); the request already wrote something
  (the rest of it reads the primary); the primary's connection is inside a transaction (a service
  reading what it is about to change); the read computes something for a shared cache (an anonymous
  page the page cache will store, a shared fragment: `primary_reads`, used by cms.cache); the
  replica is unreachable, not a replica, or more than REPLICA_MAX_LAG_SECONDS behind. Outside a request (task workers, the scheduler, management
  commands) every read goes to the primary: a task reads rows committed an instant before.
- After a request that wrote (or had a writing method), the response sets `read_primary` for
  REPLICA_PIN_SECONDS, so that the next pages of that browser, on any app server, read the primary:
  read-your-writes across requests without a shared store. REPLICA_PIN_SECONDS must exceed
  REPLICA_MAX_LAG_SECONDS plus REPLICA_CHECK_SECONDS: once the cookie is gone, the replica has
  either replayed the write or is known to be too late and is not used.

The replica's state is checked per process, at most every REPLICA_CHECK_SECONDS (one small query),
and its connection is opened (or health-checked, with CONN_HEALTH_CHECKS) before the first read of a
request: a replica that is down costs a refused connection, then REPLICA_CHECK_SECONDS of reads on
the primary before it is tried again; never a 500. `/healthz` reports it (cms/health.py).
"""

import logging
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections

from cms.transactions import READ_METHODS

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "read_primary"
# Seconds the replica is behind: 0 when it has replayed all it received (an idle primary sends
# nothing, which is no lag; just restarted, the received position is behind the replayed one),
# otherwise (and before it streamed anything) the age of the last transaction it replayed.
LAG_SQL = (
    "SELECT pg_is_in_recovery(), CASE WHEN pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


@dataclass
class RequestState:
    pinned: bool  # this request reads the primary
    wrote: bool = False


_request: ContextVar[RequestState | None] = ContextVar("replica_request_state", default=None)


@dataclass
class ReplicaStatus:
    """What this process last learnt of the replica."""

    checked_at: float = float("-inf")  # time.monotonic()
    usable: bool = False
    lag: float | None = None
    reason: str = "not checked yet"


_status = ReplicaStatus()
_lock = threading.Lock()


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_status() -> ReplicaStatus:
    """A copy of this process's view of the replica (for /healthz and the tests)."""
    with _lock:
        return ReplicaStatus(**vars(_status))


def reset_replica_status() -> None:
    """Forget what was learnt: the next read checks the replica again."""
    with _lock:
        _status.checked_at, _status.usable, _status.lag, _status.reason = float("-inf"), False, None, "not checked yet"


def measure_lag(connection) -> tuple[bool, float]:
    """(in recovery, seconds behind) of a replica's connection."""
    with connection.cursor() as cursor:
        cursor.execute(LAG_SQL)
        in_recovery, lag = cursor.fetchone()
    return bool(in_recovery), float(lag or 0)


def _check(connection) -> tuple[bool, float | None, str]:
    in_recovery, lag = measure_lag(connection)
    if not in_recovery:
        return False, None, "not in recovery (not a replica)"
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        return False, lag, f"{lag:.0f} s behind (limit {settings.REPLICA_MAX_LAG_SECONDS} s)"
    return True, lag, "ok"


def replica_usable() -> bool:
    """May this read go to the replica? Connects (or health-checks the connection) in this thread,
    and measures the lag when the last measure is older than REPLICA_CHECK_SECONDS."""
    now = time.monotonic()
    with _lock:
        fresh = now - _status.checked_at < settings.REPLICA_CHECK_SECONDS
        if fresh and not _status.usable:
            return False
    connection = connections[REPLICA]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        if fresh:
            return True
        usable, lag, reason = _check(connection)
    except DatabaseError as exc:
        connection.close()
        usable, lag, reason = False, None, f"unreachable ({type(exc).__name__})"
    with _lock:
        if usable != _status.usable:
            log = logger.info if usable else logger.warning
            log("Read replica %s: %s", "back in use" if usable else "not used, reads go to the primary", reason)
        _status.checked_at, _status.usable, _status.lag, _status.reason = now, usable, lag, reason
    return usable


@contextmanager
def primary_reads():
    """The reads inside go to the primary: what is computed for a shared cache (an anonymous page, a
    shared fragment, cms.cache) is stored under the version of the moment and served to everyone
    until it expires, so it must be as fresh as that version (a page unpublished an instant ago
    must not be rendered again from a replica that has not replayed it yet)."""
    state = _request.get()
    if state is None or state.pinned:
        yield
        return
    state.pinned = True
    try:
        yield
    finally:
        state.pinned = state.wrote


def note_write() -> None:
    """This request wrote: it reads the primary from now on and pins its browser (the middleware)."""
    state = _request.get()
    if state is not None:
        state.wrote = state.pinned = True


class ReplicaRouter:
    """DATABASE_ROUTERS entry when a replica is configured (cms/settings/base.py)."""

    def db_for_read(self, model, **hints):
        state = _request.get()
        if state is None or state.pinned or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA if replica_usable() else PRIMARY

    def db_for_write(self, model, **hints):
        note_write()
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two doors

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None if db == PRIMARY else False


class ReplicaPinMiddleware:
    """Opens the request's routing state (see the module docstring) and, after a write, sets the
    `read_primary` cookie for REPLICA_PIN_SECONDS. Placed before the session and authentication
    middleware, so that their reads are routed and their writes (a session saved) count."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = RequestState(pinned=request.method not in READ_METHODS or PIN_COOKIE in request.COOKIES)
        token = _request.set(state)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        if state.wrote or request.method not in READ_METHODS:
            response.set_cookie(PIN_COOKIE, "1", max_age=settings.REPLICA_PIN_SECONDS, httponly=True,
                                samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response
