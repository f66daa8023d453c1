"""The app's settings, each default stated here and only here (the environment may set them:
cms/settings/base.py, APP_SETTINGS_FROM_ENV)."""

from django.conf import settings


def attachment_max_bytes() -> int:
    """Largest attachment accepted (BRICOLAGES_ATTACHMENT_MAX_BYTES, default 10 MB)."""
    return int(getattr(settings, "BRICOLAGES_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def rating_prior_weight() -> float:
    """C in the Bayesian average: how many "average" ratings every bricolage starts with
    (BRICOLAGES_RATING_PRIOR_WEIGHT, default 5)."""
    return float(getattr(settings, "BRICOLAGES_RATING_PRIOR_WEIGHT", 5))


def max_steps() -> int:
    """Most steps a guide may have (BRICOLAGES_MAX_STEPS, default 30)."""
    return int(getattr(settings, "BRICOLAGES_MAX_STEPS", 30))


def page_size() -> int:
    """Bricolages per page of the list (BRICOLAGES_PAGE_SIZE, default 12)."""
    return int(getattr(settings, "BRICOLAGES_PAGE_SIZE", 12))


def private_root():
    return settings.PRIVATE_MEDIA_ROOT
