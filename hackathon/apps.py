from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HackathonConfig(AppConfig):
    name = "hackathon"
    label = "hackathon"
    verbose_name = _("Service lab et hackathon")

    def ready(self):
        from cms.sections import Section, register_section

        register_section(Section(
            key="hackathon",
            title=_("Service lab et hackathon"),
            summary=_("Vos courriers en ligne, les sujets qui reviennent, un tirage au sort vérifiable chaque mois et une journée pour trouver une solution."),
            order=40,
            url=lambda request, mairie: None,
        ))
