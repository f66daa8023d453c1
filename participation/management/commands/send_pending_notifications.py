"""Re-send the notification emails that failed (mail server down, task lost): run it every few
minutes from cron or a systemd timer. Nothing is lost: a notification keeps emailed_at empty
until a send succeeds (participation.tasks)."""

from django.core.management.base import BaseCommand

from participation.models import Notification
from participation.notification_kinds import Delivery
from participation.tasks import retry_pending_emails


class Command(BaseCommand):
    help = "Retry the notification emails not sent yet (failed or never queued)."

    def handle(self, *args, **options):
        immediate = Notification.objects.filter(emailed_at__isnull=True, email_delivery=Delivery.IMMEDIATE)
        before = immediate.count()
        failed = retry_pending_emails() or []
        after = immediate.count()
        self.stdout.write(f"{before - after} sent, {len(failed)} failed (will retry), {after} still pending.")
