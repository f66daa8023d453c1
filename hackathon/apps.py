from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _section_url(request, mairie):
    from django.urls import reverse

    return reverse("hackathon:index") if mairie is not None else None


class HackathonConfig(AppConfig):
    name = "hackathon"
    verbose_name = _("Service lab et hackathon")

    def ready(self):
        from cms import roles
        from cms.privacy import register_eraser, register_exporter, register_retention
        from cms.sections import register_account_link
        from participation.features import plug_in
        from participation.notification_kinds import Kind

        from . import demo, opendata, privacy, search, selectors
        from .models import RecurringIssue

        register_account_link(35, _("Mes courriers"), "hackathon:my-complaints")
        register_exporter("service_lab", privacy.export)
        register_eraser("service_lab", privacy.erase)
        register_retention("service_lab", order=40, how_long=privacy.complaint_retention,
                           what=_("Vos courriers : texte complet, scan, nom, coordonnées"),
                           why=_("Traiter votre demande ; seuls les agents de votre mairie les lisent."))
        plug_in(self, summary=_("Vos courriers en ligne, les sujets qui reviennent, un tirage au sort vérifiable chaque mois et une journée pour trouver une solution."),
                order=40, url=_section_url, participatory={RecurringIssue: selectors.issue_is_visible},
                api=("complaints", "issues", "draws", "sessions", "outcomes"), demo=(60, demo.seed),
                search=search.ADAPTERS, opendata=opendata.DATASETS,
                notifications={"drawn": Kind.DRAW, "draw_corrected": Kind.DRAW, "session": Kind.DRAW,
                               "outcome": Kind.DECISION})
        roles.grant(roles.AGENTS, "hackathon.view_complaint")
        roles.grant(roles.ORGANISERS, "hackathon.view_complaint", "hackathon.view_draw", "hackathon.view_outcome")
