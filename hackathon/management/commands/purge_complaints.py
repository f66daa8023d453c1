from django.core.management.base import BaseCommand

from hackathon import conf
from hackathon.services import complaints_purge


class Command(BaseCommand):
    help = ("Erase the personal data (full text, scan, contact, account link) of complaints received more than "
            "COMPLAINT_RETENTION_DAYS days ago; their anonymised summary and their count stay. Run it daily.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help=f"Retention in days (default: the setting, now {conf.retention_days()}).")

    def handle(self, *args, days=None, **options):
        purged = complaints_purge(days=days)
        self.stdout.write(f"{purged} complaint(s) purged of their personal data.")
