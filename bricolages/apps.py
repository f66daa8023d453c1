from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _section_url(request, mairie):
    """Shared by every mairie: the same list answers on each host."""
    from django.urls import reverse

    return reverse("bricolages:list")


class BricolagesConfig(AppConfig):
    name = "bricolages"
    verbose_name = _("Bricolages")

    def ready(self):
        from cms.images import register_private_collection
        from cms.roles import AGENTS, EDITORS, ORGANISERS, is_agent
        from participation.features import plug_in
        from participation.registry import register_participatory

        from . import demo, permissions
        from .models import BricolagePage
        from .search import BricolageAdapter
        from .services import COLLECTION_NAME

        plug_in(self, summary=_("Le wiki des agents : les outils faits maison, partagés entre les mairies."),
                order=50, url=_section_url, visible=is_agent, api=("",), demo=(70, demo.seed),
                search=[BricolageAdapter()])
        # Shared by every mairie (inside no Site): the engine's endpoints answer on any host.
        register_participatory(BricolagePage, is_visible=permissions.user_can_view_bricolage, shared=True)
        # The steps' pictures: as private as the bricolages they illustrate (cms.images).
        register_private_collection(COLLECTION_NAME, may_view=permissions.user_can_view_step_image,
                                    groups=(AGENTS, EDITORS, ORGANISERS))
