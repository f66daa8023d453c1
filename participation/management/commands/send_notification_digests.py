"""Send the daily digests: one email per user grouping their notifications of the kinds they chose
« un résumé par jour » for, not emailed yet (participation.tasks.send_notification_digests). Run daily
by the scheduler (cms/schedule.py); running it twice sends nothing twice."""

from django.core.management.base import BaseCommand

from participation.tasks import send_notification_digests


class Command(BaseCommand):
    help = "Send each user one email with their digest notifications not emailed yet."

    def handle(self, *args, **options):
        counts = send_notification_digests()
        self.stdout.write(f"{counts['sent']} digests sent ({counts['notifications']} notifications), "
                          f"{counts['failed']} failed (will retry).")
