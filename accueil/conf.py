"""The app's settings, each default stated here and only here (the environment may set them:
cms/settings/base.py, APP_SETTINGS_FROM_ENV)."""

from django.conf import settings


def invitation_retention_days() -> int:
    """Days an invitee's name, organisation and email are kept after their invitation ended (expired or
    withdrawn) before the nightly purge deletes the invitation and its past bookings
    (COWORKING_INVITATION_RETENTION_DAYS, default 90)."""
    return int(getattr(settings, "COWORKING_INVITATION_RETENTION_DAYS", 90))


def help_request_retention_days() -> int:
    """Days a closed help request (its thread and consents) is kept before the nightly purge deletes it
    (HELP_REQUEST_RETENTION_DAYS, default 365)."""
    return int(getattr(settings, "HELP_REQUEST_RETENTION_DAYS", 365))
