from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One search over everything a user may see; apps feed it through search.registry."""

    name = "search"
    verbose_name = _("Recherche")
