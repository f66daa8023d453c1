from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandementsConfig(AppConfig):
    name = "participation.commandements"
    label = "commandements"
    verbose_name = _("Les 19 commandements")

    def ready(self):
        from cms.sections import Section, register_section

        register_section(Section(
            key="commandements",
            title=_("Les 19 commandements"),
            summary=_("La charte qui nous lie : dix-neuf engagements de la mairie, dix-neuf engagements des habitants, réécrits ensemble."),
            order=10,
            url=lambda request, mairie: None,
        ))
