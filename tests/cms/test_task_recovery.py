"""A task whose worker died mid-run is put back in the queue, or failed after TASK_MAX_ATTEMPTS
(cms/task_recovery.py); tests/cluster/test_cluster.py kills a real worker."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from cms import schedule
from cms.task_recovery import WORKER_LOST, requeue_stale_tasks

pytestmark = pytest.mark.django_db


def task(status, *, started_minutes_ago=None, workers=()):
    started = timezone.now() - datetime.timedelta(minutes=started_minutes_ago) if started_minutes_ago else None
    return DBTaskResult.objects.create(
        status=status, started_at=started, worker_ids=list(workers), task_path="participation.tasks.example",
        backend_name="default", run_after=get_date_max(), args_kwargs={"args": [], "kwargs": {}})


def test_a_task_left_running_past_the_timeout_is_queued_again(settings):
    settings.TASK_RUNNING_TIMEOUT_SECONDS = 600
    orphan = task("RUNNING", started_minutes_ago=11, workers=["worker-1"])
    busy = task("RUNNING", started_minutes_ago=9, workers=["worker-2"])  # its worker may be alive
    waiting, done = task("READY"), task("SUCCESSFUL", started_minutes_ago=60, workers=["worker-1"])
    assert requeue_stale_tasks() == {"requeued": 1, "failed": 0}
    orphan.refresh_from_db()
    assert orphan.status == "READY" and orphan.started_at is None
    assert orphan.worker_ids == ["worker-1"]  # the history stays: it counts the attempts
    assert DBTaskResult.objects.ready().filter(pk=orphan.pk).exists()  # a worker takes it again
    for untouched, status in ((busy, "RUNNING"), (waiting, "READY"), (done, "SUCCESSFUL")):
        untouched.refresh_from_db()
        assert untouched.status == status


def test_a_task_that_lost_its_worker_too_often_fails_with_worker_lost(settings):
    settings.TASK_MAX_ATTEMPTS = 3
    poison = task("RUNNING", started_minutes_ago=60, workers=["worker-1", "worker-2", "worker-1"])
    assert requeue_stale_tasks() == {"requeued": 0, "failed": 1}
    poison.refresh_from_db()
    assert poison.status == "FAILED" and poison.finished_at is not None
    assert poison.exception_class_path == WORKER_LOST
    assert "3 attempts" in poison.traceback


def test_the_command_takes_a_shorter_delay_and_says_what_it_did():
    task("RUNNING", started_minutes_ago=2, workers=["worker-1"])
    out = io.StringIO()
    call_command("requeue_stale_tasks", "--older-than", "60", stdout=out)
    assert out.getvalue().strip() == "requeued 1, failed 0"


def test_the_scheduler_runs_it_every_minute_with_the_database_queue(settings):
    job = schedule.job_named("requeue_stale_tasks")
    assert job.every == datetime.timedelta(minutes=1) and job.command == "requeue_stale_tasks"
    assert not job.enabled()  # the immediate backend of the tests has no queue
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert job.enabled()
