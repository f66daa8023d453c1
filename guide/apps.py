from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _section_url(request, mairie):
    from .selectors import index_for_mairie

    index = index_for_mairie(mairie)
    return index.get_url(request) if index is not None else None


class GuideConfig(AppConfig):
    """Le guide du routard (life situations and their démarches, a printable booklet with post-its)
    and le carnet du citoyen (a resident's dossier for a démarche, shared with a service by consent).
    Plugs into the core and the engine from ready()."""

    name = "guide"
    verbose_name = _("Guide du routard")

    def ready(self):
        from cms import roles
        from cms.api.registry import register_endpoint
        from cms.on_behalf import register_on_behalf
        from cms.privacy import register_eraser, register_exporter, register_retention
        from cms.sections import register_account_link
        from participation.features import plug_in

        from . import demo, privacy, search, selectors, services, setup

        plug_in(self, summary=_("Ce qui vous arrive, les démarches qui vont avec, les papiers à apporter et le bon "
                                "service ; et un carnet qui vous suit d'un guichet à l'autre."),
                order=55, url=_section_url, api=("situations", "demarches"), demo=(75, demo.seed),
                set_up=setup.set_up, search=search.ADAPTERS)
        register_endpoint("carnets", "/api/carnets/")
        # The demo guide in the other languages (guide/demo_translations/*.po), after the guide itself.
        from cms.demo import register_demo

        from . import demo_translations

        register_demo(76, "guide-translations", demo_translations.seed_translations)
        register_account_link(30, _("Mes carnets"), "guide:carnets")
        register_on_behalf("carnet", order=10, label=lambda: _("Ouvrir le carnet"),
                           consent=lambda: _("ouvrir un carnet du citoyen à mon nom"),
                           choice_label=lambda: _("Démarche"),
                           choices=lambda mairie: [(d.pk, d.title) for d in selectors.demarches_for(mairie)],
                           run=services.carnet_open_on_behalf)
        register_exporter("guide", privacy.export)
        register_eraser("guide", privacy.erase)
        register_retention("guide", order=55, how_long=privacy.carnet_retention,
                           what=_("Vos carnets du citoyen : démarche, documents cochés, fichiers que vous avez choisi "
                                  "de joindre, rendez-vous, note de l'agent, partages avec les services"),
                           why=_("Suivre votre démarche sans avoir à tout raconter à chaque service ; seuls les "
                                 "services avec lesquels vous le partagez le lisent."))
        roles.grant(roles.EDITORS, "guide.add_service", "guide.change_service", "guide.delete_service",
                    "guide.view_service")
