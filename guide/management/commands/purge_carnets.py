from django.core.management.base import BaseCommand

from guide import conf
from guide.services import carnets_purge


class Command(BaseCommand):
    help = "Delete the carnets du citoyen closed more than CARNET_RETENTION_DAYS days ago. Run it daily."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help=f"Retention in days (default: the setting, now {conf.carnet_retention_days()}).")

    def handle(self, *args, days=None, **options):
        purged = carnets_purge(days=days)
        self.stdout.write(f"{purged} closed carnet(s) deleted.")
