from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OccupaiConfig(AppConfig):
    name = "occupai"
    label = "occupai"
    verbose_name = _("Occupai")

    def ready(self):
        from cms.sections import Section, register_section

        register_section(Section(
            key="occupai",
            title=_("Occupai"),
            summary=_("La salle des fêtes et les parvis sont à vous : proposez un événement, votez, venez."),
            order=20,
            url=lambda request, mairie: None,
        ))
