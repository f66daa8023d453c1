from django.core.management.base import BaseCommand

from search import services
from search.models import SyncFailure


class Command(BaseCommand):
    help = ("Retry the search syncs that failed (SyncFailure, also shown by /healthz): those due, or all "
            "with --all. The scheduler runs it every 5 minutes.")

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="retry every failure now, due or not")
        parser.add_argument("--list", action="store_true", help="only list the failures")

    def handle(self, *args, **options):
        if options["list"]:
            for failure in SyncFailure.objects.all():
                self.stdout.write(f"{failure.model_label}:{failure.object_pk}  attempts {failure.attempts}  "
                                  f"since {failure.first_failed_at:%Y-%m-%d %H:%M}  next "
                                  f"{failure.next_attempt_at:%Y-%m-%d %H:%M}  {failure.error}")
            self.stdout.write(f"{SyncFailure.objects.count()} failed sync(s).")
            return
        result = services.failures_replay(due_only=not options["all"])
        style = self.style.SUCCESS if not result["failing"] else self.style.WARNING
        self.stdout.write(style(f"{result['objects']} object(s) retried: {result['recovered']} synced, "
                                f"{result['failing']} still failing."))
