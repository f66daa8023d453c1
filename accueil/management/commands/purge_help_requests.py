from django.core.management.base import BaseCommand

from accueil import conf
from accueil.ambassadeurs.services import help_requests_purge


class Command(BaseCommand):
    help = ("Delete the help requests to ambassadors closed more than HELP_REQUEST_RETENTION_DAYS days ago, with "
            "their messages and consents. Run it daily.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help=f"Retention in days (default: the setting, now {conf.help_request_retention_days()}).")

    def handle(self, *args, days=None, **options):
        purged = help_requests_purge(days=days)
        self.stdout.write(f"{purged} closed help request(s) deleted.")
