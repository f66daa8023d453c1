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
        from cms.privacy import register_eraser, register_exporter
        from cms.roles import AGENTS, EDITORS, ORGANISERS, grant, is_agent
        from participation.features import plug_in
        from participation.notification_kinds import Kind
        from participation.registry import register_participatory

        from . import demo, permissions
        from .models import BricolagePage
        from .search import (
            BricolageAdapter,
            ExplorationDayAdapter,
            ExplorationSummaryAdapter,
            OpenBricolageEditionAdapter,
            OpenBricolageWorkshopAdapter,
        )
        from .services import COLLECTION_NAME

        plug_in(self, summary=_("Le wiki des agents : les outils faits maison, partagés entre les mairies."),
                order=50, url=_section_url, visible=is_agent, api=("",), demo=(70, demo.seed),
                search=[BricolageAdapter(), ExplorationDayAdapter(), ExplorationSummaryAdapter(),
                        OpenBricolageEditionAdapter(), OpenBricolageWorkshopAdapter()],
                notifications={**dict.fromkeys(("bricolage_variant", "bricolage_edited", "bricolage_feedback"),
                                               Kind.FOLLOWED),
                               **dict.fromkeys(("exploration_applied", "exploration_promoted", "exploration_accepted",
                                                "exploration_declined", "exploration_logbook_shared",
                                                "exploration_reminder", "exploration_logbook_reminder",
                                                "openbricolage_accepted", "openbricolage_reminder"),
                                               Kind.EXCHANGES)})
        # Shared by every mairie (inside no Site): the engine's endpoints answer on any host.
        register_participatory(BricolagePage, is_visible=permissions.user_can_view_bricolage, shared=True)
        from .explorations import privacy as exploration_privacy

        register_exporter("explorations", exploration_privacy.export)
        register_eraser("explorations", exploration_privacy.erase)
        from .openbricolage import privacy as openbricolage_privacy

        register_exporter("open_bricolage", openbricolage_privacy.export)
        register_eraser("open_bricolage", openbricolage_privacy.erase)
        # The explorations' listings in the admin (wagtail_hooks): the organisers of the host mairie.
        grant(ORGANISERS, "bricolages.view_explorationday", "bricolages.view_explorationapplication")
        # Open Bricolage's editions and registrations in the admin (wagtail_hooks): the host mairie's organisers.
        grant(ORGANISERS, "bricolages.view_openbricolageedition", "bricolages.view_registration")
        # The steps' pictures: as private as the bricolages they illustrate (cms.images).
        register_private_collection(COLLECTION_NAME, may_view=permissions.user_can_view_step_image,
                                    groups=(AGENTS, EDITORS, ORGANISERS))
