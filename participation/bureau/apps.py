from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BureauConfig(AppConfig):
    name = "participation.bureau"
    label = "bureau"
    verbose_name = _("Bureau de l'intelligence citoyenne")

    def ready(self):
        from cms.api.registry import register_endpoint
        from cms.demo import register_demo
        from cms.images import register_private_collection
        from cms.sections import Section, register_section
        from participation.registry import register_participatory
        from search.registry import register

        from . import demo, permissions, selectors
        from .models import IMAGE_COLLECTION, Project
        from .search import ProjectAdapter

        register_section(Section(
            key="bureau",
            title=_("Bureau de l'intelligence citoyenne"),
            summary=_("Vous avez une idée pour le quartier ? La mairie l'accompagne, de l'idée au lancement."),
            order=30,
            url=_section_url,
        ))
        register_participatory(Project, is_visible=selectors.project_is_visible)
        register_endpoint("bureau-projects", "/api/bureau/projects/")
        register_demo(30, "bureau", demo.seed)
        register(ProjectAdapter())
        # Residents' project photos: seen as their project is (cms.images); listed by no images API.
        register_private_collection(IMAGE_COLLECTION, may_view=permissions.user_can_view_project_image)


def _section_url(request, mairie):
    from .selectors import index_page_for

    index = index_page_for(mairie)
    return index.get_url(request) if index else None
