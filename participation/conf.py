"""The engine's settings, each default stated here and only here (the environment may set them:
cms/settings/base.py, APP_SETTINGS_FROM_ENV)."""

from django.conf import settings


def reports_before_hiding() -> int:
    """Distinct reporters after whom an object is hidden until a moderator decides
    (REPORTS_BEFORE_HIDING, default 3)."""
    return int(getattr(settings, "REPORTS_BEFORE_HIDING", 3))


def unsubscribe_max_age() -> int:
    """Seconds an email's one-click unsubscribe link works (NOTIFICATION_UNSUBSCRIBE_MAX_AGE, default
    a year: an old email's link should still stop the emails)."""
    return int(getattr(settings, "NOTIFICATION_UNSUBSCRIBE_MAX_AGE", 365 * 24 * 3600))
