from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.demo import ACCOUNTS, REVIEW_ACCOUNTS, REVIEWED_MAIRIES, DemoContext, demo_allowed, seed_all


class Command(BaseCommand):
    help = "Load the demo content (idempotent): two mairies, their pages, demo accounts and each app's demo data."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port the demo sites answer on (default 8000).")
        parser.add_argument("--force", action="store_true", help="Allow demo accounts in a production configuration.")
        parser.add_argument("--core-only", action="store_true", help="Only mairies, pages and accounts.")

    def handle(self, *args, port, force, core_only, **options):
        if not demo_allowed(force):
            raise CommandError("Refusing to create demo accounts in a production configuration (use --force).")
        ctx = DemoContext(stdout=lambda line: self.stdout.write(line))
        seed_all(ctx, port=port, only_core=core_only)
        self.stdout.write(self.style.SUCCESS("Demo content ready."))
        self.stdout.write("")
        self.stdout.write(f"  Mairie du 19e: http://127.0.0.1:{port}/  (or http://paris19.localhost:{port}/)")
        self.stdout.write(f"  Mairie du 20e: http://paris20.localhost:{port}/")
        self.stdout.write(f"  Admin: http://127.0.0.1:{port}/admin/   API: http://127.0.0.1:{port}/api/")
        self.stdout.write(f"  Demo logins (password: {settings.DEMO_PASSWORD}):")
        accounts = ACCOUNTS if core_only else {**ACCOUNTS, **REVIEW_ACCOUNTS}
        for username, (role_names, mairie, _name) in accounts.items():
            self.stdout.write(f"    {username:<14} {', '.join(role_names):<16} {mairie}")
        if settings.DEBUG and settings.DEMO_TOTP_SECRET:
            self.stdout.write("  Staff accounts log in with a second factor (development only): the TOTP secret "
                              f"{settings.DEMO_TOTP_SECRET} in an authenticator app, or the code printed by "
                              "`.venv/bin/python manage.py demo_totp`.")
        if not core_only:
            self.stdout.write(f"  Page review on in {', '.join(REVIEWED_MAIRIES)}: one editor submits a page, "
                              "another approves it.")
