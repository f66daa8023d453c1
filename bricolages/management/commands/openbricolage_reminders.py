from django.core.management.base import BaseCommand

from bricolages.openbricolage.services import send_reminders


class Command(BaseCommand):
    help = "Remind the agents registered to Open Bricolage the day before (each reminder is sent once; run daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_reminders()} Open Bricolage reminder(s) for tomorrow")
