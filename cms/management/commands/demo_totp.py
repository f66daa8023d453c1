import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print the demo staff's current second-factor code (development only: DEBUG and DEMO_TOTP_SECRET)."

    def handle(self, *args, **options):
        if not (settings.DEBUG and settings.DEMO_TOTP_SECRET):
            raise CommandError("The demo's second factor exists in development only (DEBUG on).")
        counter = int(time.time()) // app_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(settings.DEMO_TOTP_SECRET, counter)))
