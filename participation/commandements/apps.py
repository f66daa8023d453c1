from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandementsConfig(AppConfig):
    name = "participation.commandements"
    verbose_name = _("Les 19 commandements")

    def ready(self):
        from wagtail.signals import page_published, page_unpublished

        from cms import roles
        from participation.features import plug_in
        from participation.notification_kinds import Kind

        from . import demo, opendata, search, selectors, setup, signals
        from .models import Amendment, CharterPage

        plug_in(self, summary=_("La charte qui nous lie : dix-neuf engagements de la mairie, dix-neuf engagements des habitants, réécrits ensemble."),
                order=10, url=_section_url, api=("", "amendments"), demo=(40, demo.seed), set_up=setup.set_up, search=search.ADAPTERS,
                opendata=opendata.DATASETS,
                participatory={CharterPage: lambda user, page: page.is_public(),
                               Amendment: selectors.amendment_is_visible},
                notifications={"adopted": Kind.DECISION, "rejected": Kind.DECISION, "superseded": Kind.DECISION,
                               "published": Kind.DECISION, "withdrawn": Kind.FOLLOWED,
                               "charter_version": Kind.FOLLOWED})
        page_published.connect(signals.charter_published, sender=CharterPage,
                               dispatch_uid="commandements-charter-published")
        page_unpublished.connect(signals.charter_unpublished, sender=CharterPage,
                                 dispatch_uid="commandements-charter-unpublished")
        roles.grant(roles.EDITORS, *(f"commandements.{verb}_commitmentreport"
                                     for verb in ("add", "change", "delete", "view")))
        roles.grant(roles.EDITORS, "commandements.view_amendment")


def _section_url(request, mairie):
    from .selectors import live_charter

    charter = live_charter(mairie)
    return charter.path_on_site() if charter is not None else None
