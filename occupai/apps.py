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
    verbose_name = _("Occupai")

    def ready(self):
        from cms import roles
        from participation.features import plug_in

        from . import demo, search, selectors
        from .models import Proposal

        plug_in(self, summary=_("La salle des fêtes et les parvis sont à vous : proposez un événement, votez, venez."),
                order=20, url=_section_url, participatory={Proposal: selectors.proposal_is_visible},
                api=("calls", "proposals", "spaces", "events"), demo=(40, demo.seed), search=search.ADAPTERS)
        roles.grant(roles.ORGANISERS, "occupai.add_space", "occupai.change_space", "occupai.delete_space",
                    "occupai.view_space")
