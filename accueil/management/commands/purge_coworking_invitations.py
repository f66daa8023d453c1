from django.core.management.base import BaseCommand

from accueil import conf
from accueil.coworking.services import invitations_purge


class Command(BaseCommand):
    help = ("Delete the co-working invitations that ended (expired or withdrawn) more than "
            "COWORKING_INVITATION_RETENTION_DAYS days ago, with the invitee's name, email and past bookings. Run it daily.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help=f"Retention in days (default: the setting, now {conf.invitation_retention_days()}).")

    def handle(self, *args, days=None, **options):
        purged = invitations_purge(days=days)
        self.stdout.write(f"{purged} ended invitation(s) deleted.")
