"""Tasks whose worker died in the middle: back in the queue, or failed after TASK_MAX_ATTEMPTS.

django-tasks-db's worker marks a task RUNNING when it claims it and SUCCESSFUL or FAILED when it ends;
a worker killed in between (SIGKILL, out of memory, its machine lost) leaves the task RUNNING for
ever, and no other worker takes it (they take READY tasks only). `requeue_stale_tasks` (run by the
scheduler every minute, cms/schedule.py) puts back to READY every task RUNNING for longer than
TASK_RUNNING_TIMEOUT_SECONDS, so that a live worker runs it again; a task that has already been
claimed TASK_MAX_ATTEMPTS times (it may be what kills its workers) is marked FAILED instead, with
`WorkerLost` as its error.

So a task runs at least once, not exactly once: a task still running after the timeout (set it above
the longest task) would run twice, and every task must bear that (ours do: they re-read committed
rows and send what is still unsent). The claim is taken again under `select_for_update(skip_locked)`
and each update is conditional on the row being unchanged, so that a worker finishing at that instant
is never overwritten.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone


class WorkerLost(Exception):
    """The worker running a task stopped without finishing it (recorded as the task's error)."""


WORKER_LOST = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"


def requeue_stale_tasks(*, older_than: datetime.timedelta | None = None) -> dict[str, int]:
    """{"requeued": n, "failed": m} for the tasks RUNNING since before now - older_than
    (TASK_RUNNING_TIMEOUT_SECONDS by default)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if older_than is None:
        older_than = datetime.timedelta(seconds=settings.TASK_RUNNING_TIMEOUT_SECONDS)
    now = timezone.now()
    counts = {"requeued": 0, "failed": 0}
    with transaction.atomic():
        stale = (DBTaskResult.objects.running().filter(started_at__lt=now - older_than)
                 .select_for_update(skip_locked=True).only("pk", "started_at", "worker_ids"))
        for task in stale:
            unchanged = DBTaskResult.objects.running().filter(pk=task.pk, started_at=task.started_at)
            if len(task.worker_ids) >= settings.TASK_MAX_ATTEMPTS:
                counts["failed"] += unchanged.update(
                    status=TaskResultStatus.FAILED, finished_at=now, exception_class_path=WORKER_LOST, return_value=None,
                    traceback=f"{WORKER_LOST}: the worker running this task stopped without finishing it "
                              f"({len(task.worker_ids)} attempts: {', '.join(task.worker_ids)}).")
            else:
                counts["requeued"] += unchanged.update(status=TaskResultStatus.READY, started_at=None)
    return counts
