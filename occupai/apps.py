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
        from cms.occupancy import register_occupancy
        from participation.features import plug_in
        from participation.notification_kinds import Kind

        from . import demo, opendata, search, selectors, setup
        from .models import Proposal

        plug_in(self, summary=_("La salle des fêtes et les parvis sont à vous : proposez un événement, votez, venez."),
                order=20, url=_section_url, participatory={Proposal: selectors.proposal_is_visible},
                api=("calls", "proposals", "spaces", "events"), demo=(40, demo.seed), set_up=setup.set_up, search=search.ADAPTERS,
                opendata=opendata.DATASETS,
                notifications={"accepted": Kind.DECISION, "rejected": Kind.DECISION, "selected": Kind.DECISION,
                               "rescheduled": Kind.DECISION, "not_selected": Kind.DECISION})
        register_occupancy("occupai.space", selectors.space_occupied, by="occupai")
        roles.grant(roles.ORGANISERS, "occupai.add_space", "occupai.change_space", "occupai.delete_space",
                    "occupai.view_space", "occupai.view_proposal")
        self._connect_organisers()

    def _connect_organisers(self):
        """Each mairie's organisers' group holds page permissions on the mairie's Occupai index (and
        the calls under it) only, kept in step by cms.mairie_groups; a newly published index joins it."""
        from wagtail.signals import page_published

        from cms import mairie_groups, roles

        from . import setup
        from .models import OccupaiIndexPage

        mairie_groups.grant_pages(roles.ORGANISERS, permissions=setup.ORGANISER_PAGE_PERMISSIONS,
                                  pages=setup.index_ids)
        page_published.connect(_index_published, sender=OccupaiIndexPage, dispatch_uid="occupai-index-published")


def _index_published(sender, instance, **kwargs):
    """A published Occupai index (set up with its mairie, or added by an editor) joins the
    permissions of its mairie's organisers' group."""
    from cms import mairie_groups

    if instance.mairie_id is not None:
        mairie_groups.sync_mairie(instance.mairie)
