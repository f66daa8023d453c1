"""The app's settings, read with their defaults (the lead lists them in cms/settings and the README)."""

from django.conf import settings


def retention_days() -> int:
    return int(getattr(settings, "COMPLAINT_RETENTION_DAYS", 365))


def draw_min_complaints() -> int:
    return int(getattr(settings, "DRAW_MIN_COMPLAINTS", 3))


def scan_max_bytes() -> int:
    return int(getattr(settings, "COMPLAINT_SCAN_MAX_BYTES", 10 * 1024 * 1024))


def private_root():
    return settings.PRIVATE_MEDIA_ROOT
