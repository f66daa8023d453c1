from django.core.management.base import BaseCommand

from accueil.services import tickets_close_past_days


class Command(BaseCommand):
    help = "Close the queue tickets of past days still open, erasing their contact details (run each night)."

    def handle(self, *args, **options):
        self.stdout.write(f"{tickets_close_past_days()} ticket(s) closed")
