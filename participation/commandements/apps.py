from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandementsConfig(AppConfig):
    name = "participation.commandements"
    label = "commandements"
    verbose_name = _("Les 19 commandements")

    def ready(self):
        from wagtail.signals import page_published, page_unpublished

        from cms import roles
        from cms.api.registry import register_endpoint
        from cms.demo import register_demo
        from cms.sections import Section, register_section
        from participation.registry import register_participatory

        from . import demo, search, selectors, signals
        from .models import Amendment, CharterPage

        register_section(Section(
            key="commandements",
            title=_("Les 19 commandements"),
            summary=_("La charte qui nous lie : dix-neuf engagements de la mairie, dix-neuf engagements des habitants, réécrits ensemble."),
            order=10,
            url=_section_url,
        ))
        register_participatory(CharterPage, is_visible=lambda user, page: page.is_public())
        register_participatory(Amendment, is_visible=selectors.amendment_is_visible)
        page_published.connect(signals.charter_published, sender=CharterPage,
                               dispatch_uid="commandements-charter-published")
        page_unpublished.connect(signals.charter_unpublished, sender=CharterPage,
                                 dispatch_uid="commandements-charter-unpublished")
        roles.grant(roles.EDITORS, *(f"commandements.{verb}_commitmentreport"
                                     for verb in ("add", "change", "delete", "view")))
        register_endpoint("commandements", "/api/commandements/")
        register_endpoint("commandements-amendments", "/api/commandements/amendments/")
        register_demo(40, "commandements", demo.seed)
        search.register_adapters()


def _section_url(request, mairie):
    from .selectors import live_charter

    charter = live_charter(mairie)
    return charter.path_on_site() if charter is not None else None
