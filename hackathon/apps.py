from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _section_url(request, mairie):
    from django.urls import reverse

    return reverse("hackathon:index") if mairie is not None else None


class HackathonConfig(AppConfig):
    name = "hackathon"
    label = "hackathon"
    verbose_name = _("Service lab et hackathon")

    def ready(self):
        from cms.api.registry import register_endpoint
        from cms.demo import register_demo
        from cms.privacy import register_eraser, register_exporter
        from cms.sections import Section, register_section
        from participation.registry import register_participatory

        from . import demo, privacy, search, selectors
        from .models import RecurringIssue

        register_section(Section(
            key="hackathon",
            title=_("Service lab et hackathon"),
            summary=_("Vos courriers en ligne, les sujets qui reviennent, un tirage au sort vérifiable chaque mois et une journée pour trouver une solution."),
            order=40,
            url=_section_url,
        ))
        register_participatory(RecurringIssue, is_visible=selectors.issue_is_visible)
        for name in ("complaints", "issues", "draws", "sessions", "outcomes"):
            register_endpoint(f"hackathon-{name}", f"/api/hackathon/{name}/")
        search.register_adapters()
        register_demo(60, "hackathon", demo.seed)
        register_exporter("service_lab", privacy.export)
        register_eraser("service_lab", privacy.erase)
