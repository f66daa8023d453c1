"""The app's settings, each default stated here and only here (the environment may set them:
cms/settings/base.py, APP_SETTINGS_FROM_ENV)."""

from django.conf import settings


def retention_days() -> int:
    """Days a complaint's personal data is kept (COMPLAINT_RETENTION_DAYS, default a year)."""
    return int(getattr(settings, "COMPLAINT_RETENTION_DAYS", 365))


def draw_min_complaints() -> int:
    """Complaints a recurring issue needs to enter the monthly draw (DRAW_MIN_COMPLAINTS, default 3)."""
    return int(getattr(settings, "DRAW_MIN_COMPLAINTS", 3))


def scan_max_bytes() -> int:
    """Largest scan accepted (COMPLAINT_SCAN_MAX_BYTES, default 10 MB)."""
    return int(getattr(settings, "COMPLAINT_SCAN_MAX_BYTES", 10 * 1024 * 1024))


def private_root():
    return settings.PRIVATE_MEDIA_ROOT
