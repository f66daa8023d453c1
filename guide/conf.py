"""The app's settings, each default stated here and only here (the environment may set them:
cms/settings/base.py, APP_SETTINGS_FROM_ENV)."""

from django.conf import settings


def carnet_retention_days() -> int:
    """Days a closed carnet is kept before the nightly purge deletes it (CARNET_RETENTION_DAYS,
    default a year)."""
    return int(getattr(settings, "CARNET_RETENTION_DAYS", 365))


def document_max_bytes() -> int:
    """The largest file a resident may attach to a carnet's document (GUIDE_DOCUMENT_MAX_BYTES,
    default 10 MB)."""
    return int(getattr(settings, "GUIDE_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024))
