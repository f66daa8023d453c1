"""`/healthz`: is this app server fit to serve? One JSON document for monitors and load balancers.

Built on django-health-check: its database and cache checks, and ours for the task backlog and, when
a replica is configured (a "replica" alias in DATABASES), the replica's lag; apps add theirs with
`register_check` (search: syncs waiting for a retry). Each check answers ok,
warning or unavailable; the response is 200 when none is unavailable (warnings included, so that a
load balancer keeps a server whose workers are merely late) and 503 otherwise:

    {"status": "ok" | "warning" | "unavailable",
     "checks": {"database": {"status": "ok", "ms": 1.2}, "tasks": {"status": "warning", "message": "..."}}}

It says nothing an attacker could use: no host, port, version or exception text (the library logs
those, to the logs and Sentry); only our own checks, written for it, add a message.

Speed: the view is asynchronous (the library's runner), the cache checks run side by side, each check
has a budget of HEALTH_CHECK_SECONDS. The database checks run in the request's own thread, on its
connection, as every view's queries do (another thread's connection would not see, on SQLite, past
the request's own lock, and would be one more connection per probe); what bounds them is the
database connection's own timeout: give PostgreSQL one in DATABASE_URL (`?connect_timeout=3`,
docs/operations.md).
"""

import asyncio
import dataclasses
import datetime

from asgiref.sync import sync_to_async
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.utils import timezone
from health_check import checks
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable, ServiceWarning
from health_check.views import HealthCheckView

HEALTH_CHECK_SECONDS = 3
REPLICA_ALIAS = "replica"
BACKLOG_COUNT_LIMIT = 1000  # counting further says nothing more and costs more


class Database(checks.Database):
    """The library's `SELECT 1`, in the request's thread."""

    timeout = datetime.timedelta(seconds=HEALTH_CHECK_SECONDS)

    async def run(self):
        await sync_to_async(super().run)()


@dataclasses.dataclass
class TaskBacklog(HealthCheck):
    """Tasks of the database queue (django-tasks-db) still waiting to start long after they were due:
    workers are down or overwhelmed. Warning after HEALTH_TASK_BACKLOG_MINUTES, unavailable after
    twice that. Only asks the table when the database backend is installed."""

    timeout = datetime.timedelta(seconds=HEALTH_CHECK_SECONDS)
    public_message = True

    async def run(self):
        await sync_to_async(self.check)()

    def check(self):
        if not apps.is_installed("django_tasks_db"):
            return
        from django.db.models import Q
        from django_tasks_db.models import DBTaskResult, get_date_max

        minutes = settings.HEALTH_TASK_BACKLOG_MINUTES
        now = timezone.now()

        def waiting_since(cutoff):
            return DBTaskResult.objects.ready().filter(
                Q(run_after=get_date_max(), enqueued_at__lte=cutoff) | Q(run_after__lte=cutoff)).order_by()

        late = waiting_since(now - datetime.timedelta(minutes=minutes))[:BACKLOG_COUNT_LIMIT].count()
        if not late:
            return
        very_late = waiting_since(now - datetime.timedelta(minutes=2 * minutes)).exists()
        error = ServiceUnavailable if very_late else ServiceWarning
        raise error(f"{late} task(s) waiting for more than {minutes} minutes: are the workers running?")


@dataclasses.dataclass
class ReplicaLag(HealthCheck):
    """The read replica (PostgreSQL streaming replication): reachable, in recovery, and no more than
    REPLICA_MAX_LAG_SECONDS behind, the limit past which the database router (cms/db_router.py)
    sends reads to the primary. Never unavailable: when the replica is down or late, reads go to the
    primary, so this app server can still serve; it is a warning that says so."""

    alias: str = REPLICA_ALIAS
    timeout = datetime.timedelta(seconds=HEALTH_CHECK_SECONDS)
    public_message = True

    async def run(self):
        await sync_to_async(self.check)()

    def check(self):
        from django.db import Error

        from cms.db_router import measure_lag

        connection = connections[self.alias]
        if connection.vendor != "postgresql":
            return
        try:
            with connection.temporary_connection():
                in_recovery, lag = measure_lag(connection)
        except Error as exc:
            raise ServiceWarning("replica unreachable: reads go to the primary") from exc
        if not in_recovery:
            raise ServiceWarning("the replica alias is not a replica (not in recovery): reads go to the primary")
        self.figures = {"lag_seconds": round(lag, 1)}
        limit = settings.REPLICA_MAX_LAG_SECONDS
        if lag > limit:
            raise ServiceWarning(f"replica {lag:.0f} s behind the primary (limit {limit} s): reads go to the primary")


_app_checks: dict = {}


def register_check(name: str, check) -> None:
    """An app's own check, named in the report (the search app: its failed syncs). `check()` runs in
    a thread with database access; it returns when all is well, or raises health_check's
    ServiceWarning (still serving) or ServiceUnavailable with a message safe to publish (no host, no
    exception text). Called from the app's AppConfig.ready(): cms never imports the apps."""
    _app_checks[name] = check


@dataclasses.dataclass
class AppCheck(HealthCheck):
    """A check registered by an app (register_check)."""

    name: str = ""
    timeout = datetime.timedelta(seconds=HEALTH_CHECK_SECONDS)
    public_message = True

    async def run(self):
        await sync_to_async(_app_checks[self.name])()


def platform_checks():
    """(name, check class, options) of this deployment: the database, every cache, the task backlog,
    the replica if any, then the apps' own checks."""
    found = [("database", Database, {"alias": "default"})]
    for alias in settings.CACHES:
        name = "cache" if alias == "default" else f"cache:{alias}"
        found.append((name, checks.Cache, {"alias": alias, "timeout": datetime.timedelta(seconds=HEALTH_CHECK_SECONDS)}))
    found.append(("tasks", TaskBacklog, {}))
    if REPLICA_ALIAS in settings.DATABASES:
        found.append(("replica", ReplicaLag, {"alias": REPLICA_ALIAS}))
    found.extend((name, AppCheck, {"name": name}) for name in _app_checks)
    return found


def _status(error):
    if error is None:
        return "ok"
    return "warning" if isinstance(error, ServiceWarning) else "unavailable"


class HealthView(HealthCheckView):
    """The library's runner with our checks and our JSON, whatever the Accept header says."""

    def get_checks(self):
        """The check objects (the library's `health_check healthz --no-http` command runs them too)."""
        return [check(**options) for _name, check, options in platform_checks()]

    async def get(self, request, *args, **kwargs):
        names = [name for name, _check, _options in platform_checks()]
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        report = {}
        for name, result in zip(names, results, strict=True):
            entry = {"status": _status(result.error), "ms": round(result.time_taken * 1000, 1)}
            if result.error is not None and getattr(result.check, "public_message", False):
                entry["message"] = result.error.message
            entry.update(getattr(result.check, "figures", None) or {})  # numbers a check measured (the replica's lag)
            report[name] = entry
        statuses = {entry["status"] for entry in report.values()}
        overall = "unavailable" if "unavailable" in statuses else "warning" if "warning" in statuses else "ok"
        return JsonResponse({"status": overall, "checks": report}, status=503 if overall == "unavailable" else 200)


healthz = HealthView.as_view()
