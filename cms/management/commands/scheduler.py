import logging
import signal
import threading

from django.core.management.base import BaseCommand
from django.utils import timezone

from cms import schedule

logger = logging.getLogger("cms.scheduler")
MAX_SLEEP_SECONDS = 60


class Command(BaseCommand):
    help = ("Run the platform's periodic jobs (cms/schedule.py) at their times, in one process: the "
            "complaint purge, the time-dependent search refresh, task-result pruning, notification retries. "
            "Run exactly one (a second one is harmless with Redis: each slot is claimed once).")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the jobs that are due now, then exit")
        parser.add_argument("--list", action="store_true", dest="show", help="print the schedule and each job's next run")

    def handle(self, *args, once=False, show=False, **options):
        if show:
            self._list()
            return
        if once:
            self._report(schedule.run_due())
            return
        self._loop()

    def _list(self):
        now = timezone.now()
        for job in schedule.SCHEDULE:
            state = "" if job.enabled() else "  (disabled here)"
            nxt = timezone.localtime(job.next_slot(now)).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"{job.name:<28} every {job.every}  next {nxt}  {job.what}{state}")

    def _report(self, ran):
        for name, succeeded in ran.items():
            self.stdout.write(f"{name}: {'ok' if succeeded else 'FAILED (see the log)'}")
        if not ran:
            self.stdout.write("Nothing due.")

    def _loop(self):
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_args: stop.set())
        logger.info("Scheduler started: %s", ", ".join(job.name for job in schedule.SCHEDULE if job.enabled()))
        while not stop.is_set():
            try:
                schedule.run_due()
            except Exception:
                logger.exception("Scheduler: the due jobs could not be claimed (cache down?); retrying")
            wait = schedule.seconds_to_next_slot(timezone.now())
            stop.wait(min(max(wait, 1.0), MAX_SLEEP_SECONDS))
        logger.info("Scheduler stopped.")
