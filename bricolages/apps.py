from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BricolagesConfig(AppConfig):
    name = "bricolages"
    label = "bricolages"
    verbose_name = _("Bricolages")

    def ready(self):
        from cms.roles import is_agent
        from cms.sections import Section, register_section

        register_section(Section(
            key="bricolages",
            title=_("Bricolages"),
            summary=_("Le wiki des agents : les outils faits maison, partagés entre les mairies."),
            order=50,
            url=lambda request, mairie: None,
            visible=is_agent,
        ))
