from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One search over everything a user may see; apps feed it through search.registry."""

    name = "search"
    verbose_name = _("Recherche")

    def ready(self):
        from cms.api.registry import register_endpoint
        from cms.demo import register_demo
        from cms.health import register_check

        from . import demo, sync
        from .health import sync_failures_check
        from .page_adapters import register_adapters

        register_adapters()
        sync.connect()
        register_endpoint("search", "/api/search/")
        register_endpoint("search-suggest", "/api/search/suggest/")
        register_demo(1000, "search", demo.seed)
        register_check("search", sync_failures_check)
