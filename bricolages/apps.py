from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _section_url(request, mairie):
    from django.urls import reverse

    return reverse("bricolages:list")


class BricolagesConfig(AppConfig):
    name = "bricolages"
    label = "bricolages"
    verbose_name = _("Bricolages")

    def ready(self):
        from cms.api.registry import register_endpoint
        from cms.demo import register_demo
        from cms.roles import is_agent
        from cms.sections import Section, register_section
        from participation.registry import register_participatory
        from search.registry import register as register_search

        from . import demo, permissions
        from .models import BricolagePage
        from .search import BricolageAdapter

        register_section(Section(
            key="bricolages",
            title=_("Bricolages"),
            summary=_("Le wiki des agents : les outils faits maison, partagés entre les mairies."),
            order=50,
            # Shared by every mairie: the same list answers on each host.
            url=_section_url,
            visible=is_agent,
        ))
        register_participatory(BricolagePage, is_visible=permissions.user_can_view_bricolage)
        register_endpoint("bricolages", "/api/bricolages/")
        register_search(BricolageAdapter())
        register_demo(70, "bricolages", demo.seed)
