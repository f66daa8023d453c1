"""The search app's settings, read with their defaults (environment in cms/settings/base.py)."""

from django.conf import settings


def backend_name():
    return getattr(settings, "SEARCH_BACKEND", "database") or "database"


def elasticsearch_url():
    return getattr(settings, "ELASTICSEARCH_URL", "") or ""


def elasticsearch_prefix():
    return getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "mairie") or "mairie"


def page_size():
    return int(getattr(settings, "SEARCH_PAGE_SIZE", 20))
