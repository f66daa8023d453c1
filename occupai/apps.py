from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _section_url(request, mairie):
    from .selectors import index_for_mairie

    index = index_for_mairie(mairie)
    return index.get_url(request) if index is not None else None


class OccupaiConfig(AppConfig):
    """Occupai: calls for projects to occupy the mairie's spaces, the vote, the selection and the
    programme (with its iCalendar feeds). Plugs into the core and the engine from ready()."""

    name = "occupai"
    label = "occupai"
    verbose_name = _("Occupai")

    def ready(self):
        from cms import roles
        from cms.api.registry import register_endpoint
        from cms.demo import register_demo
        from cms.sections import Section, register_section
        from participation.registry import register_participatory
        from search import registry as search_registry

        from . import demo, search, selectors
        from .models import Proposal

        register_section(Section(
            key="occupai",
            title=_("Occupai"),
            summary=_("La salle des fêtes et les parvis sont à vous : proposez un événement, votez, venez."),
            order=20,
            url=_section_url,
        ))
        register_participatory(Proposal, is_visible=selectors.proposal_is_visible)
        for name, path in (("occupai-calls", "/api/occupai/calls/"), ("occupai-proposals", "/api/occupai/proposals/"),
                           ("occupai-spaces", "/api/occupai/spaces/"), ("occupai-events", "/api/occupai/events/")):
            register_endpoint(name, path)
        roles.grant(roles.ORGANISERS, "occupai.add_space", "occupai.change_space", "occupai.delete_space",
                    "occupai.view_space")
        for adapter in search.ADAPTERS:
            search_registry.register(adapter)
        register_demo(40, "occupai", demo.seed)
