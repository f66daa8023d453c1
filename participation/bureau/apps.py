from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BureauConfig(AppConfig):
    name = "participation.bureau"
    label = "bureau"
    verbose_name = _("Bureau de l'intelligence citoyenne")

    def ready(self):
        from cms.sections import Section, register_section

        register_section(Section(
            key="bureau",
            title=_("Bureau de l'intelligence citoyenne"),
            summary=_("Vous avez une idée pour le quartier ? La mairie l'accompagne, de l'idée au lancement."),
            order=30,
            url=lambda request, mairie: None,
        ))
