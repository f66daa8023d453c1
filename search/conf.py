"""The search app's settings: the engine it runs on is stated with the platform's other services
(cms/settings/base.py: SEARCH_BACKEND, ELASTICSEARCH_URL, ELASTICSEARCH_INDEX_PREFIX); its own
knob's default (SEARCH_PAGE_SIZE) is stated here and only here."""

from django.conf import settings


def backend_name():
    """SEARCH_BACKEND: "database" or "elasticsearch"."""
    return settings.SEARCH_BACKEND


def elasticsearch_url():
    return settings.ELASTICSEARCH_URL


def elasticsearch_prefix():
    return settings.ELASTICSEARCH_INDEX_PREFIX


def page_size():
    """Results per page (SEARCH_PAGE_SIZE, default 20)."""
    return int(getattr(settings, "SEARCH_PAGE_SIZE", 20))
