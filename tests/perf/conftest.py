"""The page cache is off in the test settings (no "pages" cache alias): these fixtures turn it on."""

import pytest


@pytest.fixture
def page_cache(settings):
    """A local-memory "pages" cache, as in the default settings, with a 5-second life."""
    from django.core.cache import caches

    settings.CACHES = {**settings.CACHES,
                       "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                 "LOCATION": "perf-pages"}}
    settings.PAGE_CACHE_ALIAS = "pages"
    settings.PAGE_CACHE_SECONDS = 5
    caches["pages"].clear()
    yield caches["pages"]
    caches["pages"].clear()
