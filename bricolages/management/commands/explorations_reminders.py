from django.core.management.base import BaseCommand

from bricolages.explorations.services import send_reminders


class Command(BaseCommand):
    help = ("Remind accepted visitors of their exploration the day before, and of their logbook after the day "
            "(each reminder is sent once; run daily).")

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"{sent['day_before']} reminder(s) for tomorrow, {sent['logbook']} logbook reminder(s)")
