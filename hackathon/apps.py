from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _section_url(request, mairie):
    from django.urls import reverse

    return reverse("hackathon:index") if mairie is not None else None


class HackathonConfig(AppConfig):
    name = "hackathon"
    verbose_name = _("Service lab et hackathon")

    def ready(self):
        from cms.privacy import register_eraser, register_exporter
        from participation.features import plug_in

        from . import demo, privacy, search, selectors
        from .models import RecurringIssue

        register_exporter("service_lab", privacy.export)
        register_eraser("service_lab", privacy.erase)
        plug_in(self, summary=_("Vos courriers en ligne, les sujets qui reviennent, un tirage au sort vérifiable chaque mois et une journée pour trouver une solution."),
                order=40, url=_section_url, participatory={RecurringIssue: selectors.issue_is_visible},
                api=("complaints", "issues", "draws", "sessions", "outcomes"), demo=(60, demo.seed),
                search=search.ADAPTERS)
