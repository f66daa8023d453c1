import datetime

from django.core.management.base import BaseCommand

from cms.task_recovery import requeue_stale_tasks


class Command(BaseCommand):
    help = ("Put back in the queue the tasks left RUNNING by a worker that died (RUNNING for longer than "
            "TASK_RUNNING_TIMEOUT_SECONDS), or mark them FAILED after TASK_MAX_ATTEMPTS (cms/task_recovery.py). "
            "The scheduler runs it every minute.")

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=float, default=None, metavar="SECONDS",
                            help="running for longer than this (default: TASK_RUNNING_TIMEOUT_SECONDS)")

    def handle(self, *args, older_than=None, **options):
        delay = None if older_than is None else datetime.timedelta(seconds=older_than)
        counts = requeue_stale_tasks(older_than=delay)
        self.stdout.write(f"requeued {counts['requeued']}, failed {counts['failed']}")
