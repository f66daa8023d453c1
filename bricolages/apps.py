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
        from cms.images import register_private_collection
        from cms.roles import AGENTS, EDITORS, ORGANISERS, is_agent
        from cms.sections import Section, register_section
        from participation.registry import register_participatory
        from search.registry import register as register_search

        from . import demo, permissions
        from .models import BricolagePage
        from .search import BricolageAdapter
        from .services import COLLECTION_NAME

        register_section(Section(
            key="bricolages",
            title=_("Bricolages"),
            summary=_("Le wiki des agents : les outils faits maison, partagés entre les mairies."),
            order=50,
            # Shared by every mairie: the same list answers on each host.
            url=_section_url,
            visible=is_agent,
        ))
        # Shared by every mairie (inside no Site): the engine's endpoints answer on any host.
        register_participatory(BricolagePage, is_visible=permissions.user_can_view_bricolage, shared=True)
        register_endpoint("bricolages", "/api/bricolages/")
        register_search(BricolageAdapter())
        register_demo(70, "bricolages", demo.seed)
        # The steps' pictures: as private as the bricolages they illustrate (cms.images).
        register_private_collection(COLLECTION_NAME, may_view=permissions.user_can_view_step_image,
                                    groups=(AGENTS, EDITORS, ORGANISERS))
