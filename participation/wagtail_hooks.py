"""The Wagtail admin: quartiers as snippets, each mairie's staff seeing their own only."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet

from cms.admin_scoping import MairieScopedSnippetViewSet

from .models import Quartier


class QuartierViewSet(MairieScopedSnippetViewSet):
    model = Quartier
    icon = "site"
    menu_label = _("Quartiers")
    list_display = ["name", "mairie", "slug"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("mairie")


register_snippet(QuartierViewSet)
