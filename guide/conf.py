"""The app's settings, each default stated here and only here (the environment may set them:
cms/settings/base.py, APP_SETTINGS_FROM_ENV)."""

from django.conf import settings


def carnet_retention_days() -> int:
    """Days a closed carnet is kept before the nightly purge deletes it (CARNET_RETENTION_DAYS,
    default a year)."""
    return int(getattr(settings, "CARNET_RETENTION_DAYS", 365))
