"""The platform's periodic jobs, written as data, and what runs them: one process,
`manage.py scheduler` ([decision 0008](../docs/decisions/0008-scheduler.md)).

Each job has slots on the wall clock of TIME_ZONE: every `every` from midnight, shifted by `offset`
(a daily job: every day at `offset`). A job is due when its latest slot has not been claimed yet; the
claim is a key added to the default cache (`cache.add`, atomic), so that with Redis two schedulers
started by mistake (or overlapping during a deploy) still run each slot once, and a restart does not
run again what already ran. With the local-memory cache the claims live in the process: a restart runs
every job once at start, which each of them allows (they all catch up on whatever is waiting).
A slot missed while no scheduler ran is not replayed slot by slot: the next run catches up.

A failing job is logged (with its traceback, so Sentry sees it) and retried at its next slot; the
others run as planned. Jobs are management commands (named, not imported: the apps stay above this
layer) or functions of the core.
"""

import io
import logging
import time as clock
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("cms.scheduler")
DAY = timedelta(days=1)
CLAIM_KEY = "scheduler:claim:{name}:{slot}"


def _always() -> bool:
    return True


@dataclass(frozen=True)
class Job:
    """One periodic job: a management command (`command`, `args`) or a function (`call`, a dotted path)."""

    name: str
    what: str
    every: timedelta = DAY
    offset: timedelta = timedelta(0)
    command: str | None = None
    args: Sequence[str] | Callable[[], Sequence[str]] = ()
    call: str | None = None
    enabled: Callable[[], bool] = field(default=_always, compare=False)

    def __post_init__(self):
        if (self.command is None) == (self.call is None):
            raise ValueError(f"job {self.name}: give a command or a call, not both")
        if DAY % self.every or not timedelta(0) <= self.offset < self.every:
            raise ValueError(f"job {self.name}: `every` must divide a day and `offset` be shorter than it")

    def arguments(self) -> list[str]:
        return list(self.args() if callable(self.args) else self.args)

    def last_slot(self, now: datetime) -> datetime:
        """The latest slot at or before `now` (aware, in TIME_ZONE)."""
        zone = ZoneInfo(settings.TIME_ZONE)
        local = now.astimezone(zone).replace(tzinfo=None)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        steps = (local - midnight - self.offset) // self.every
        return (midnight + self.offset + steps * self.every).replace(tzinfo=zone)

    def next_slot(self, now: datetime) -> datetime:
        return self.last_slot(now) + self.every

    def claim_key(self, now: datetime) -> str:
        return CLAIM_KEY.format(name=self.name, slot=self.last_slot(now).isoformat())


def _tasks_in_database() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def _prune_arguments() -> list[str]:
    return ["--min-age-days", str(settings.TASK_RESULT_RETENTION_DAYS)]


SCHEDULE: tuple[Job, ...] = (
    Job("send_pending_notifications", "Retry the notification emails not sent yet",
        every=timedelta(minutes=5), command="send_pending_notifications"),
    Job("requeue_stale_tasks", "Put back in the queue the tasks a dead worker left running",
        every=timedelta(minutes=1), command="requeue_stale_tasks", enabled=_tasks_in_database),
    Job("publish_scheduled", "Publish the pages whose scheduled date came, unpublish those whose expiry came",
        every=timedelta(minutes=1), command="publish_scheduled"),
    Job("expire_login_attempts", "Delete failed-login records whose lockout is over (privacy page)",
        every=timedelta(minutes=15), call="cms.security.login_attempts_expire"),
    Job("search_time_dependent", "Refresh the search documents that change with the clock",
        every=timedelta(hours=1), offset=timedelta(minutes=2), command="rebuild_search_index",
        args=("--time-dependent",)),
    Job("search_replay_failed", "Retry the search syncs that failed (engine down, timeouts)",
        every=timedelta(minutes=5), command="search_replay_failed"),
    Job("search_reconcile", "Compare the search index with the database and repair the drift",
        offset=timedelta(hours=4, minutes=30), command="search_reconcile"),
    Job("purge_complaints", "Erase complaints' personal data past COMPLAINT_RETENTION_DAYS",
        offset=timedelta(hours=3, minutes=30), command="purge_complaints"),
    Job("purge_carnets", "Delete the carnets du citoyen closed more than CARNET_RETENTION_DAYS ago",
        offset=timedelta(hours=3, minutes=40), command="purge_carnets"),
    Job("purge_coworking_invitations", "Delete the co-working invitations ended more than "
        "COWORKING_INVITATION_RETENTION_DAYS ago, with the invitees' names and emails",
        offset=timedelta(hours=3, minutes=50), command="purge_coworking_invitations"),
    Job("purge_help_requests", "Delete the help requests to ambassadors closed more than HELP_REQUEST_RETENTION_DAYS "
        "ago, with their messages", offset=timedelta(hours=3, minutes=55), command="purge_help_requests"),
    Job("explorations_reminders", "Remind the agents of their exploration the day before and of their logbook "
        "after it", offset=timedelta(hours=16), command="explorations_reminders"),
    Job("openbricolage_reminders", "Remind the agents registered to Open Bricolage the day before",
        offset=timedelta(hours=16, minutes=5), command="openbricolage_reminders"),
    Job("accueil_close_day", "Close the queue tickets a past day left open, erasing their phone numbers and emails",
        offset=timedelta(minutes=30), command="accueil_close_day"),
    Job("prune_task_results", "Delete finished task results older than TASK_RESULT_RETENTION_DAYS",
        offset=timedelta(hours=4), command="prune_db_task_results", args=_prune_arguments,
        enabled=_tasks_in_database),
    Job("notification_digests", "Send each user one email with the day's notifications they chose a daily "
        "digest for", offset=timedelta(hours=7), command="send_notification_digests"),
)


def job_named(name: str) -> Job:
    return next(job for job in SCHEDULE if job.name == name)


def daily_time(name: str) -> time | None:
    """The local time a daily job runs at (for pages that state it), or None."""
    job = job_named(name)
    return (datetime.min + job.offset).time() if job.every == DAY else None


def due(now: datetime, jobs: Sequence[Job] = SCHEDULE) -> list[Job]:
    """The enabled jobs whose latest slot has not been run yet."""
    return [job for job in jobs if job.enabled() and cache.get(job.claim_key(now)) is None]


def _close_old_connections():
    """A long-lived process: no connection left broken or past its age between two jobs (Django's
    close_old_connections, but never a connection inside a transaction, as a caller's or a test's)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def run_job(job: Job) -> bool:
    """Run one job now; log its output, or its failure. True when it succeeded."""
    started = clock.monotonic()
    output = io.StringIO()
    try:
        if job.command:
            call_command(job.command, *job.arguments(), stdout=output, stderr=output)
        else:
            result = import_string(job.call)()
            output.write(f"{result}")
    except (Exception, SystemExit):
        logger.exception("Scheduled job %s failed", job.name)
        return False
    finally:
        _close_old_connections()
    logger.info("Scheduled job %s done in %.1f s: %s", job.name, clock.monotonic() - started,
                " ".join(output.getvalue().split())[:500])
    return True


def run_due(now: datetime | None = None, jobs: Sequence[Job] = SCHEDULE) -> dict[str, bool]:
    """Claim and run every due job; {name: succeeded}. A slot claimed by another scheduler is left."""
    now = now or timezone.now()
    ran = {}
    for job in jobs:
        if not job.enabled():
            continue
        claim_for = max(int((job.every * 2).total_seconds()), 60)
        if cache.add(job.claim_key(now), f"{now.isoformat()}", claim_for):
            ran[job.name] = run_job(job)
    return ran


def seconds_to_next_slot(now: datetime, jobs: Sequence[Job] = SCHEDULE) -> float:
    return min((job.next_slot(now) - now).total_seconds() for job in jobs)
